package io.switchboard.core.workflow;

import static io.switchboard.core.Require.require;

import io.switchboard.core.ConfigNamed;
import java.util.Objects;
import java.util.Optional;

/**
 * A step that may send the work back: after it runs, unless {@code until} holds, the steps from {@code backTo}
 * up to and including this one run again, at most {@code maxIterations} times in all. Loops are declared here,
 * never as dependencies, so the dependencies stay free of cycles and every repetition has a bound.
 *
 * @param backTo the id of the step the work goes back to; this step must depend on it, directly or not
 * @param until when the loop ends early
 * @param maxIterations how many times the steps in the loop run at most, the first time included
 */
public record Loop(String backTo, Until until, int maxIterations) {

    public enum Until implements ConfigNamed {
        /** The step's output holds an approving {@link Verdict}. */
        APPROVED("approved");

        private final String configName;

        Until(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }

        public static Optional<Until> fromConfigName(String name) {
            return ConfigNamed.find(values(), name);
        }
    }

    public Loop {
        require(backTo != null && Workflow.NAME.matcher(backTo).matches(),
                "back_to must name a step, was '%s'", backTo);
        Objects.requireNonNull(until, "until");
        require(maxIterations >= 1, "max_iterations must be 1 or more, was %s", maxIterations);
    }

    public String describe() {
        return "back to " + backTo + " until " + until.configName() + ", at most " + maxIterations + " times";
    }
}
