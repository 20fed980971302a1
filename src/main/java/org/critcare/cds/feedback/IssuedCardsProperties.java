package org.critcare.cds.feedback;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How issued cards are remembered for feedback. The keys are those of the CDS Hooks
 * endpoint ({@code cds.hooks.issued-card-*}), where operators have always set them.
 *
 * @param issuedCardRetention how long the server remembers which rule an issued card came
 * from, so that feedback on it can be counted per rule
 * @param issuedCardCapacity how many issued cards it remembers at most (in memory; the
 * table {@code cds_issued_cards} keeps every card of the retention period)
 * @param issuedCardFlushInterval how often issued cards are written to that table, which
 * every node on the database reads; a node that is given feedback on a card it does not
 * know waits up to two such intervals for the issuing node to write it
 */
@ConfigurationProperties("cds.hooks")
record IssuedCardsProperties(@DefaultValue("7d") Duration issuedCardRetention,
		@DefaultValue("200000") long issuedCardCapacity, @DefaultValue("200ms") Duration issuedCardFlushInterval) {
}
