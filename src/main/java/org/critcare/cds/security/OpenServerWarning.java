package org.critcare.cds.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says loudly, at start-up, that the server is open: with {@code cds.security.enabled}
 * off anyone who reaches the port may read, write and delete every patient and call every
 * service.
 */
@Component
@ConditionalOnProperty(name = "cds.security.enabled", havingValue = "false", matchIfMissing = true)
class OpenServerWarning {

	private static final Logger log = LoggerFactory.getLogger("critcare.security");

	private final Environment environment;

	OpenServerWarning(Environment environment) {
		this.environment = environment;
	}

	@EventListener(ApplicationReadyEvent.class)
	void warn() {
		log.warn("SECURITY IS OFF (cds.security.enabled=false): anyone who can reach this server can read, write and "
				+ "delete every patient and call every CDS service. Listening on {}. Turn it on before exposing "
				+ "the server (README, Security).", environment.getProperty("server.address", "all interfaces"));
	}

}
