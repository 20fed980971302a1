package org.critcare.cds.security;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code cds.security.enabled} off and no {@code server.address} configured, the
 * server listens on loopback (127.0.0.1) only: an open server is for the machine it runs
 * on. Setting {@code server.address} (e.g. {@code 0.0.0.0}) overrides this.
 */
class LoopbackWhenOpen implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean secured = environment.getProperty("cds.security.enabled", Boolean.class, false);
		if (!secured && !environment.containsProperty("server.address")) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("cds-security-loopback", Map.of("server.address", "127.0.0.1")));
		}
	}

}
