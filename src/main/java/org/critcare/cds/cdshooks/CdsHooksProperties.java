package org.critcare.cds.cdshooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The CDS Hooks endpoint ({@code cds.hooks.*}).
 *
 * @param defaultLanguage the language of card texts when the request's Accept-Language
 * names none of {@code languages}
 * @param languages the languages card texts are offered in
 * @param issuedCardRetention how long the server remembers which rule an issued card came
 * from, so that feedback on it can be counted per rule
 * @param issuedCardCapacity how many issued cards it remembers at most (in memory; the
 * table {@code cds_issued_cards} keeps every card of the retention period)
 * @param issuedCardFlushInterval how often issued cards are written to that table, which
 * every node on the database reads; a node that is given feedback on a card it does not
 * know waits up to two such intervals for the issuing node to write it
 * @param warmupCalls evaluations per service and hook at start-up, before the server
 * reports ready, so that the first real call is as fast as later ones; 0 turns warm-up
 * off
 * @param warmupTime the most time warm-up may take, shared equally by the services' hooks
 * (a hook whose example patients are costly, such as cre-stewardship's, gets fewer than
 * {@code warmupCalls} calls)
 */
@ConfigurationProperties("cds.hooks")
public record CdsHooksProperties(@DefaultValue("en") String defaultLanguage, @DefaultValue( {
		"en", "ja" }) List<String> languages, @DefaultValue("7d") Duration issuedCardRetention,
		@DefaultValue("200000") long issuedCardCapacity, @DefaultValue("200ms") Duration issuedCardFlushInterval,
		@DefaultValue("300") int warmupCalls, @DefaultValue("6s") Duration warmupTime){
}
