package io.switchboard.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.port.CooldownStore;
import io.switchboard.core.routing.Cooldown;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link CooldownStore} does, written once and run against each store. */
public abstract class CooldownStoreContract extends StoreContract {

    private CooldownStore cooldowns() {
        return store.cooldowns();
    }

    @Test
    void noAgentIsCoolingDownAtFirst() {
        registered("codex");

        assertThat(cooldowns().active(clock.instant())).isEmpty();
    }

    @Test
    void aCooldownIsInForceUntilItsEndExclusive() {
        RegisteredAgent codex = registered("codex");
        Instant until = clock.instant().plus(Duration.ofMinutes(30));
        Cooldown cooldown = new Cooldown(codex.id(), until, "rate limited: resets at 09:30");

        cooldowns().coolDown(cooldown);

        assertThat(cooldowns().active(clock.instant())).containsExactlyEntriesOf(java.util.Map.of(codex.id(), cooldown));
        assertThat(cooldowns().active(until.minusMillis(1))).containsOnlyKeys(codex.id());
        assertThat(cooldowns().active(until)).isEmpty();
    }

    @Test
    void coolingDownAgainReplacesTheCooldown() {
        RegisteredAgent codex = registered("codex");
        Instant now = clock.instant();
        cooldowns().coolDown(new Cooldown(codex.id(), now.plusSeconds(60), "quota"));

        cooldowns().coolDown(new Cooldown(codex.id(), now.plusSeconds(3_600), "quota again"));
        assertThat(cooldowns().active(now.plusSeconds(120)))
                .containsEntry(codex.id(), new Cooldown(codex.id(), now.plusSeconds(3_600), "quota again"));

        cooldowns().coolDown(new Cooldown(codex.id(), now.plusSeconds(10), "shortened"));
        assertThat(cooldowns().active(now)).containsEntry(codex.id(), new Cooldown(codex.id(), now.plusSeconds(10), "shortened"));
        assertThat(cooldowns().active(now.plusSeconds(10))).isEmpty();
    }

    @Test
    void eachAgentHasItsOwnCooldown() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        RegisteredAgent aider = registered("aider");
        Instant now = clock.instant();

        cooldowns().coolDown(new Cooldown(codex.id(), now.plusSeconds(60), "quota"));
        cooldowns().coolDown(new Cooldown(gemini.id(), now.plusSeconds(600), null));
        cooldowns().coolDown(new Cooldown(aider.id(), now.minusSeconds(1), "already over"));

        assertThat(cooldowns().active(now))
                .containsOnlyKeys(codex.id(), gemini.id())
                .containsEntry(gemini.id(), new Cooldown(gemini.id(), now.plusSeconds(600), ""));
        assertThat(cooldowns().active(now.plusSeconds(60))).containsOnlyKeys(gemini.id());
    }

    @Test
    void theEndOfACooldownIsKeptToTheMillisecond() {
        RegisteredAgent codex = registered("codex");
        Instant until = Instant.parse("2026-01-05T09:30:00.987654321Z");

        cooldowns().coolDown(new Cooldown(codex.id(), until, "quota"));

        assertThat(cooldowns().active(clock.instant()).get(codex.id()).until())
                .isEqualTo(Instant.parse("2026-01-05T09:30:00.987Z"));
    }

    @Test
    void aCooldownUntilTheConfigurationChangesKeepsItsFingerprint() {
        RegisteredAgent codex = registered("codex");
        Cooldown untilFixed = Cooldown.untilConfigChanges(codex.id(), "codex is not installed", "sha256:3f0027a0");

        cooldowns().coolDown(untilFixed);

        assertThat(cooldowns().active(clock.instant())).containsEntry(codex.id(), untilFixed);
        assertThat(cooldowns().active(clock.instant().plus(Duration.ofDays(3_650))))
                .containsEntry(codex.id(), untilFixed);
        // Replaced by one with an end, it has no fingerprint any more.
        Cooldown quota = new Cooldown(codex.id(), clock.instant().plusSeconds(60), "quota");
        cooldowns().coolDown(quota);
        assertThat(cooldowns().active(clock.instant())).containsEntry(codex.id(), quota);
    }

    @Test
    void liftingACooldownEndsItAtOnce() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        Instant now = clock.instant();
        cooldowns().coolDown(Cooldown.untilConfigChanges(codex.id(), "not logged in", "sha256:1"));
        cooldowns().coolDown(new Cooldown(gemini.id(), now.plusSeconds(600), "quota"));

        cooldowns().lift(codex.id());
        cooldowns().lift(codex.id());
        cooldowns().lift(registered("aider").id());

        assertThat(cooldowns().active(now)).containsOnlyKeys(gemini.id());
    }
}
