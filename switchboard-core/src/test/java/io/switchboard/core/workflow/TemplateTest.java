package io.switchboard.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.switchboard.core.workflow.Template.Placeholder;
import io.switchboard.core.workflow.Template.Placeholder.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {
    private static final Map<String, String> INPUTS = Map.of("task", "Add a rate limiter", "style", "terse");
    private static final Map<String, String> OUTPUTS = Map.of("plan", "1. add it", "review", "");

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # template                                        | rendered
              plain text                                      | plain text
              ""                                              | ""
              {{inputs.task}}                                 | Add a rate limiter
              Do: {{inputs.task}}, {{inputs.style}}.          | Do: Add a rate limiter, terse.
              {{ inputs.task }}                               | Add a rate limiter
              "{{\tinputs.task\t}}"                           | Add a rate limiter
              Plan: {{steps.plan.output}}                     | Plan: 1. add it
              Review: [{{steps.review.output}}]               | Review: []
              {{inputs.task}}{{inputs.task}}                  | Add a rate limiterAdd a rate limiter
              {{{{                                            | {{
              {{{{inputs.task}}                               | {{inputs.task}}
              {{{{ {{inputs.task}}                            | {{ Add a rate limiter
              }} and } and {                                  | }} and } and {
              {{inputs.task}}}}                               | Add a rate limiter}}
              {{{{{{{{                                        | {{{{
              "{ {inputs.task}}"                              | "{ {inputs.task}}"
            """)
    void rendersPlaceholdersAndEscapes(String template, String rendered) {
        assertThat(Template.parse(template).render(INPUTS, OUTPUTS)).isEqualTo(rendered);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # template                | at | message (FORMS and OUTPUT stand for the advice, as in the code)
              {{input.task}}          | 0  | '{{input.task}}' is not a placeholder; FORMS
              Hi {{inputs.task}       | 3  | '{{inputs.task}' is not closed on its line; FORMS
              "a {{inputs.task\\n}}"  | 2  | '{{inputs.task' is not closed on its line; FORMS
              {{steps.plan}}          | 0  | '{{steps.plan}}' is not a placeholder: OUTPUT {{steps.plan.output}}
              {{steps.plan.text}}     | 0  | '{{steps.plan.text}}' is not a placeholder: OUTPUT {{steps.plan.output}}
              {{steps.plan.output.x}} | 0  | '{{steps.plan.output.x}}' is not a placeholder; FORMS
              {{inputs.}}             | 0  | '{{inputs.}}' is not a placeholder; FORMS
              {{inputs.my.task}}      | 0  | '{{inputs.my.task}}' is not a placeholder; FORMS
              {{inputs.1st}}          | 0  | '{{inputs.1st}}' is not a placeholder; FORMS
              {{}}                    | 0  | '{{}}' is not a placeholder; FORMS
              {{{inputs.task}}}       | 0  | '{{{inputs.task}}' is not a placeholder; FORMS
              style={{color: 'red'}}  | 6  | '{{color: 'red'}}' is not a placeholder; FORMS
            """)
    void refusesAnythingElseAfterTwoBraces(String template, int offset, String message) {
        TemplateSyntaxException error = catchThrowableOfType(TemplateSyntaxException.class,
                () -> Template.parse(template.replace("\\n", "\n")));

        assertThat(error).hasMessage(message
                .replace("is not closed on its line", "opens a placeholder that is not closed with }} on its line")
                .replace("OUTPUT", "a step offers its output, written")
                .replace("FORMS", "write {{inputs.NAME}} or {{steps.ID.output}}, or {{{{ for a literal {{"));
        assertThat(error.offset()).isEqualTo(offset);
    }

    @Test
    void listsWhatItReferencesInOrderWithOffsets() {
        Template template = Template.parse("{{inputs.task}} per {{steps.plan.output}}; again {{ inputs.task }}");

        assertThat(template.placeholders()).containsExactly(
                new Placeholder(Kind.INPUT, "task", 0, "{{inputs.task}}"),
                new Placeholder(Kind.STEP_OUTPUT, "plan", 20, "{{steps.plan.output}}"),
                new Placeholder(Kind.INPUT, "task", 49, "{{ inputs.task }}"));
        assertThat(template.inputs()).containsExactly("task");
        assertThat(template.stepOutputs()).containsExactly("plan");
    }

    @Test
    void anEscapedPlaceholderReferencesNothing() {
        Template template = Template.parse("write {{{{inputs.task}} in your own templates");

        assertThat(template.placeholders()).isEmpty();
    }

    @Test
    void valuesAreInsertedAsTheyAreAndNeverReadAsPlaceholders() {
        Template template = Template.parse("Review: {{steps.review.output}}");

        assertThat(template.render(Map.of(), Map.of("review", "{{inputs.secret}} {{{{")))
                .isEqualTo("Review: {{inputs.secret}} {{{{");
    }

    @Test
    void renderingNeedsAValueForEveryPlaceholder() {
        Template template = Template.parse("{{inputs.task}} after {{steps.plan.output}}");

        assertThatThrownBy(() -> template.render(Map.of("task", "x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no value for {{steps.plan.output}}");
        assertThatThrownBy(() -> template.render(Map.of(), Map.of("plan", "x")))
                .hasMessage("no value for {{inputs.task}}");
    }

    @Test
    void templatesAreEqualWhenTheirTextIs() {
        assertThat(Template.parse("a {{inputs.b}}")).isEqualTo(Template.parse("a {{inputs.b}}"))
                .hasSameHashCodeAs(Template.parse("a {{inputs.b}}"))
                .isNotEqualTo(Template.parse("a {{ inputs.b }}"))
                .hasToString("a {{inputs.b}}");
    }
}
