package io.switchboard.process.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputSampleTest {

    @Test
    void keepsTheFirstKilobytesVerbatimAndCountsTheRest() {
        OutputSample sample = new OutputSample();
        sample.add("first");
        sample.add("x".repeat(OutputSample.MAX_CHARS));
        sample.add("never kept");

        // "first", a line break and 4,090 x's fill the 4,096; 6 x's and the 10-character line are counted.
        assertThat(sample.text()).startsWith("first\nxxx").endsWith("x\n[16 more characters not kept]");
        assertThat(sample.text().length()).isLessThan(OutputSample.MAX_CHARS + 40);
    }
}
