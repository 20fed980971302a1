package org.critcare.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.critcare.cds.CdsServerApplication;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Readiness follows the database (issue 14 §2): while PostgreSQL is stopped, readiness is
 * DOWN and liveness UP; once it runs again, readiness is UP and reads and writes work,
 * without a restart of the server. Runs in the PostgreSQL run of CI
 * ({@code .ci/postgres-it}, which names the commands that stop and start its cluster);
 * the embedded H2 database cannot become unreachable on its own.
 */
@EnabledIfSystemProperty(named = "cds.it.database", matches = "postgres")
class DatabaseReadinessIT {

	private static final Duration WITHIN = Duration.ofSeconds(60);

	@TempDir
	Path dir;

	@Test
	void readinessIsDownWhilePostgresIsStoppedAndUpAgainWhenItRuns() throws Exception {
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(CdsServerApplication.class)
			.run("--server.port=0", "--cds.data-dir=" + dir.resolve("data"), "--cds.hooks.warmup-calls=0")) {
			Http http = new Http(((ServletWebServerApplicationContext) server).getWebServer().getPort());
			assertThat(readiness(http)).isEqualTo(200);
			assertThat(http.put("/fhir/Patient/ready-1", "{\"resourceType\":\"Patient\",\"id\":\"ready-1\"}").status())
				.isEqualTo(201);
			try {
				run("CDS_IT_POSTGRES_STOP");
				assertThat(awaitReadiness(http, 503)).as("readiness while PostgreSQL is stopped").isEqualTo(503);
				assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
			}
			finally {
				run("CDS_IT_POSTGRES_START");
			}
			assertThat(awaitReadiness(http, 200)).as("readiness once PostgreSQL runs again").isEqualTo(200);
			assertThat(http.get("/fhir/Patient/ready-1").status()).isEqualTo(200);
			assertThat(http.put("/fhir/Patient/ready-2", "{\"resourceType\":\"Patient\",\"id\":\"ready-2\"}").status())
				.isEqualTo(201);
		}
	}

	/** Runs the command that the environment variable names, and waits for it. */
	private static void run(String variable) throws IOException, InterruptedException {
		String command = System.getenv(variable);
		assertThat(command).as(variable).isNotBlank();
		Process process = new ProcessBuilder(command).inheritIO().start();
		assertThat(process.waitFor()).as(command).isZero();
	}

	private static int readiness(Http http) {
		return http.get("/actuator/health/readiness").status();
	}

	/** Polls readiness until it answers {@code status}; the last status seen. */
	private static int awaitReadiness(Http http, int status) throws InterruptedException {
		Instant deadline = Instant.now().plus(WITHIN);
		int seen = readiness(http);
		while (seen != status && Instant.now().isBefore(deadline)) {
			Thread.sleep(500);
			seen = readiness(http);
		}
		return seen;
	}

}
