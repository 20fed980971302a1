package org.critcare.cds.recommendation;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock that is CQL's {@code Now()} for every evaluation. */
@Configuration(proxyBeanMethods = false)
class RecommendationConfig {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
