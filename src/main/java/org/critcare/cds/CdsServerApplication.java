package org.critcare.cds;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * critcare-cds: a FHIR R4 store with CQL-driven CDS Hooks services. The wiring of each
 * feature lives in its own package's {@code *Config}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CdsServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(CdsServerApplication.class, args);
	}

}
