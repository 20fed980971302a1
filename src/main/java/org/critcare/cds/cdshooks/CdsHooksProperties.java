package org.critcare.cds.cdshooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The CDS Hooks endpoint ({@code cds.hooks.*}; the {@code issued-card-*} keys are the
 * feedback package's).
 *
 * @param defaultLanguage the language of card texts when the request's Accept-Language
 * names none of {@code languages}
 * @param languages the languages card texts are offered in
 * @param warmupCalls evaluations per service and hook at start-up, before the server
 * reports ready, so that the first real call is as fast as later ones; 0 turns warm-up
 * off
 * @param warmupTime the most time warm-up may take, shared equally by the services' hooks
 * (a hook whose example patients are costly, such as cre-stewardship's, gets fewer than
 * {@code warmupCalls} calls)
 */
@ConfigurationProperties("cds.hooks")
public record CdsHooksProperties(@DefaultValue("en") String defaultLanguage, @DefaultValue( {
		"en", "ja" }) List<String> languages, @DefaultValue("300") int warmupCalls,
		@DefaultValue("6s") Duration warmupTime){
}
