package io.switchboard.cli;

import io.switchboard.core.routing.Exclusion;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.routing.FactorScore;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.core.task.TaskTraits;
import java.util.Locale;

/** Human-readable renderings of a routing decision: a short summary, and the full {@code --explain} view. */
final class DecisionText {
    private DecisionText() {
    }

    /** Two or three lines: the task, the choice and the reason. */
    static String summary(RoutingDecision decision, String title) {
        StringBuilder out = new StringBuilder();
        out.append(decision.taskId());
        if (title != null && !title.isBlank()) {
            out.append("  ").append(title);
        }
        out.append('\n');
        decision.chosen().ifPresentOrElse(
                chosen -> out.append("→ ").append(chosen.agent()).append(" in ").append(decision.mode().configName())
                        .append(" mode, score ").append(fixed(chosen.total(), 1)).append(" of ")
                        .append(fixed(decision.weights().total(), 0)).append(" (").append(decision.policyName())
                        .append(" policy")
                        .append(decision.retried() ? ", attempt " + decision.attempt() + ", retried" : "")
                        .append(")\n"),
                () -> out.append("→ no agent\n"));
        out.append("  ").append(decision.reason()).append('\n');
        return out.toString();
    }

    /** Traits, rule, every candidate's factor points and total, the chosen agent's reasons, every exclusion. */
    static String explain(RoutingDecision decision, String title) {
        StringBuilder out = new StringBuilder(summary(decision, title));
        TaskTraits traits = decision.traits();
        out.append("\nTraits\n");
        Table traitTable = new Table("trait", "value", "set by");
        traitTable.row("type", traits.type().configName(), provenance(traits, "type"));
        traitTable.row("work type", traits.workType(), provenance(traits, "work_type"));
        traitTable.row("complexity", traits.complexity(), provenance(traits, "complexity"));
        traitTable.row("scope", traits.scope().configName(), provenance(traits, "scope"));
        traitTable.row("risk", traits.risk().configName(), provenance(traits, "risk"));
        traitTable.row("estimated tokens", traits.estimatedTokens(), provenance(traits, "estimated_tokens"));
        traitTable.row("needs reasoning", traits.needsReasoning(), provenance(traits, "needs_reasoning"));
        traitTable.row("needs iteration", traits.needsIteration(), provenance(traits, "needs_iteration"));
        traitTable.row("needed skills", String.join(", ", traits.neededSkills()), "");
        out.append(traitTable.render("  "));

        out.append("\nRule: ").append(decision.rule() == null ? "none matched" : decision.rule()).append('\n');
        out.append("Mode: ").append(decision.mode().configName()).append('\n');

        out.append("\nCandidates (").append(decision.policyName()).append(" policy; each column is value × weight)\n");
        if (decision.candidates().isEmpty()) {
            out.append("  none\n");
        } else {
            Factor[] factors = Factor.values();
            String[] headers = new String[factors.length + 3];
            headers[0] = "#";
            headers[1] = "agent";
            int[] numeric = new int[factors.length + 2];
            numeric[0] = 0;
            for (int i = 0; i < factors.length; i++) {
                headers[i + 2] = factors[i].configName() + " ×" + fixed(decision.weights().of(factors[i]), 0);
                numeric[i + 1] = i + 2;
            }
            headers[factors.length + 2] = "total";
            numeric[factors.length + 1] = factors.length + 2;
            Table table = new Table(headers).right(numeric);
            int rank = 1;
            for (ScoredCandidate candidate : decision.candidates()) {
                Object[] cells = new Object[factors.length + 3];
                cells[0] = rank++;
                cells[1] = candidate.agent();
                for (int i = 0; i < factors.length; i++) {
                    cells[i + 2] = fixed(candidate.factors().get(i).points(), 1);
                }
                cells[factors.length + 2] = fixed(candidate.total(), 1);
                table.row(cells);
            }
            out.append(table.render("  "));

            ScoredCandidate chosen = decision.candidates().getFirst();
            out.append("\nWhy ").append(chosen.agent()).append('\n');
            Table reasons = new Table("factor", "value", "weight", "points", "reason").right(1, 2, 3);
            for (FactorScore factor : chosen.factors()) {
                reasons.row(factor.factor().configName(), fixed(factor.value(), 2), fixed(factor.weight(), 0),
                        fixed(factor.points(), 1), factor.reason());
            }
            out.append(reasons.render("  "));
        }

        out.append("\nExcluded\n");
        if (decision.exclusions().isEmpty()) {
            out.append("  none\n");
        } else {
            Table excluded = new Table("agent", "reason", "detail");
            for (Exclusion exclusion : decision.exclusions()) {
                excluded.row(exclusion.agent(), exclusion.reason().configName(), exclusion.detail());
            }
            out.append(excluded.render("  "));
        }
        out.append('\n').append(decision.chosen()
                .map(c -> "Chosen: " + c.agent() + ", mode " + decision.mode().configName()
                        + (decision.seed() != null ? ", propensity " + fixed(decision.propensity(), 3)
                                + " (Thompson seed " + decision.seed() + ")" : ""))
                .orElse("Chosen: none")).append('\n');
        return out.toString();
    }

    private static String provenance(TaskTraits traits, String trait) {
        return traits.provenance().getOrDefault(trait, "");
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
