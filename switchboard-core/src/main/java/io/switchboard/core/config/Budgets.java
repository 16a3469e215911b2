package io.switchboard.core.config;

import static io.switchboard.core.Require.require;

/**
 * Spending limits in US dollars. A {@code null} limit means unlimited; zero means nothing may be spent.
 *
 * @param perTask the most one task may cost, all its attempts together
 * @param perPlan the most one plan (batch) may cost
 * @param daily the most all work may cost in one day
 */
public record Budgets(Double perTask, Double perPlan, Double daily) {

    public static final Budgets UNLIMITED = new Budgets(null, null, null);

    public Budgets {
        check("per_task", perTask);
        check("per_plan", perPlan);
        check("daily", daily);
    }

    public boolean isUnlimited() {
        return perTask == null && perPlan == null && daily == null;
    }

    public String describe() {
        return "per task " + text(perTask) + ", per plan " + text(perPlan) + ", daily " + text(daily);
    }

    private static String text(Double limit) {
        return limit == null ? "unlimited" : Numbers.dollars(limit);
    }

    private static void check(String key, Double limit) {
        require(limit == null || (Double.isFinite(limit) && limit >= 0), "%s must be zero or more, was %s", key, limit);
    }
}
