package org.critcare.cds.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.critcare.cds.CdsServerApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole server on a random port with an in-memory H2 database and the shipped
 * content. Every integration test uses exactly this configuration, so they share one
 * running server; tests keep out of each other's way with their own resource ids. Metrics
 * are exported as in production ({@code /actuator/prometheus}), which Spring Boot's test
 * support would otherwise turn off.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = CdsServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:critcare-it;DB_CLOSE_DELAY=-1", "cds.hooks.warmup-calls=0",
				"cds.patient-data.fhir-server-timeout=2s", "cds.limits.max-request-size=1MB" })
public @interface CdsServerTest {

}
