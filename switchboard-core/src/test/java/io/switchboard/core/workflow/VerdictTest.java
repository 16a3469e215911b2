package io.switchboard.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.workflow.Verdict.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # output (\\n is a line break)                                   | verdict
              VERDICT: APPROVED                                              | APPROVED
              VERDICT: CHANGES_REQUESTED                                     | CHANGES_REQUESTED
              Looks good.\\n\\nVERDICT: APPROVED\\n                          | APPROVED
              verdict: approved                                              | APPROVED
              Verdict : Approved                                             | APPROVED
              VERDICT:APPROVED                                               | APPROVED
              "   VERDICT: APPROVED   "                                      | APPROVED
              **VERDICT: APPROVED**                                          | APPROVED
              **VERDICT:** APPROVED                                          | APPROVED
              VERDICT: **APPROVED**                                          | APPROVED
              VERDICT: `APPROVED`                                            | APPROVED
              ## Verdict: approved.                                          | APPROVED
              > VERDICT: APPROVED!                                           | APPROVED
              - VERDICT: APPROVED                                            | APPROVED
              VERDICT: CHANGES REQUESTED                                     | CHANGES_REQUESTED
              VERDICT: changes-requested                                     | CHANGES_REQUESTED
              "VERDICT: APPROVED\\nthen again\\nVERDICT: CHANGES_REQUESTED"  | CHANGES_REQUESTED
              "VERDICT: CHANGES_REQUESTED\\nfixed in my head\\nVERDICT: APPROVED" | APPROVED
              VERDICT: APPROVED with nits                                    | UNRECOGNIZED
              VERDICT: REJECTED                                              | UNRECOGNIZED
              VERDICT:                                                       | UNRECOGNIZED
              "VERDICT: APPROVED\\nVERDICT: LGTM"                            | UNRECOGNIZED
              ""                                                             | MISSING
              All good, approved.                                            | MISSING
              The verdict: approved                                          | MISSING
              VERDICTS: APPROVED                                             | MISSING
              VERDICT APPROVED                                               | MISSING
              I would write VERDICT: APPROVED here                           | MISSING
              APPROVED                                                       | MISSING
            """)
    void readsTheLastVerdictLine(String output, Kind expected) {
        Verdict verdict = Verdict.read(output.replace("\\n", "\n"));

        assertThat(verdict.kind()).isEqualTo(expected);
        assertThat(verdict.approved()).isEqualTo(expected == Kind.APPROVED);
    }

    @Test
    void keepsTheDecidingLineAndItsNumber() {
        Verdict verdict = Verdict.read("Two issues.\r\n\r\n  **Verdict: changes requested**  \r\nthanks");

        assertThat(verdict).isEqualTo(new Verdict(Kind.CHANGES_REQUESTED, "**Verdict: changes requested**", 3));
    }

    @Test
    void noOutputIsNoVerdict() {
        assertThat(Verdict.read(null)).isEqualTo(Verdict.MISSING);
        assertThat(Verdict.MISSING.approved()).isFalse();
        assertThat(Verdict.MISSING.line()).isNull();
    }

    @Test
    void theDocumentedLinesReadAsTheirVerdicts() {
        assertThat(Verdict.read(Verdict.APPROVED_LINE).kind()).isEqualTo(Kind.APPROVED);
        assertThat(Verdict.read(Verdict.CHANGES_REQUESTED_LINE).kind()).isEqualTo(Kind.CHANGES_REQUESTED);
    }
}
