package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RabbitMqLoopTest {

    @Test
    void confirmsFreeTheWindowForEveryPublishTheySettleAndOnlyOnce() throws Exception {
        RabbitMqLoop.Confirms confirms = new RabbitMqLoop.Confirms(4);
        for (long sequence = 1; sequence <= 4; sequence++) {
            confirms.window.acquire();
            confirms.unconfirmed.add(sequence);
        }
        assertThat(confirms.window.availablePermits()).isZero();

        confirms.settle(3, true, true);
        assertThat(confirms.unconfirmed).containsExactly(4L);
        assertThat(confirms.window.availablePermits()).isEqualTo(3);

        // The broker may settle a sequence number again: it frees nothing twice.
        confirms.settle(2, false, true);
        assertThat(confirms.window.availablePermits()).isEqualTo(3);

        confirms.settle(4, false, false);
        assertThat(confirms.unconfirmed).isEmpty();
        assertThat(confirms.window.availablePermits()).isEqualTo(4);
        assertThat(confirms.refused.get()).isEqualTo(1);
    }
}
