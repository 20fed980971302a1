package org.critcare.cds.cql;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CQL compiler shared by the content loader and the knowledge catalog. */
@Configuration(proxyBeanMethods = false)
class CqlConfig {

	@Bean
	CqlCompiler cqlCompiler() {
		return new CqlCompiler();
	}

}
