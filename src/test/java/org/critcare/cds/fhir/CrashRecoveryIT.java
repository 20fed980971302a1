package org.critcare.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.critcare.cds.support.AcknowledgedWrites;
import org.critcare.cds.support.Http;
import org.critcare.cds.support.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost on a crash (issue 8 §2): four writers (creates, updates,
 * transactions, CDS Hooks feedback: {@link AcknowledgedWrites}) against the embedded H2
 * store record every 2xx; the server is killed with SIGKILL while they write, restarted
 * on the same data, and every acknowledged write must be there at its version or later.
 * Three rounds, each checking the writes of all earlier rounds too.
 */
class CrashRecoveryIT {

	private static final Duration START = Duration.ofMinutes(6);

	private static final int ROUNDS = 3;

	private static final int WRITES_BEFORE_KILL = 300;

	@TempDir
	Path temp;

	private ServerProcess server;

	private final AcknowledgedWrites writes = new AcknowledgedWrites();

	@AfterEach
	void stop() {
		if (server != null) {
			server.stop();
		}
	}

	@Test
	void everyAcknowledgedWriteSurvivesAProcessKill() throws Exception {
		Path data = Files.createDirectories(temp.resolve("data"));
		// -Dcrash.server-args="--spring.datasource.url=..." runs the same test on other
		// settings (e.g. to
		// measure what durable commits cost)
		String extra = System.getProperty("crash.server-args", "");
		server = new ServerProcess(data, extra.isBlank() ? List.of() : List.of(extra.split(" ")));
		Random random = new Random(8);
		server.start(START);
		for (int round = 1; round <= ROUNDS; round++) {
			int before = writes.count();
			Instant started = Instant.now();
			writes.start(new Http(server.port()), Integer.toString(round));
			writes.awaitMore(WRITES_BEFORE_KILL, Duration.ofMinutes(3));
			Thread.sleep(200 + random.nextInt(1_000));
			server.kill();
			writes.stop();
			double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
			int acked = writes.count() - before;
			System.out.printf("crash round %d: %d writes acknowledged in %.1f s (%.0f/s) before SIGKILL%n", round,
					acked, seconds, acked / seconds);
			assertThat(acked).as("writes acknowledged in round " + round).isGreaterThanOrEqualTo(WRITES_BEFORE_KILL);

			server.start(START);
			assertThat(writes.missing(new Http(server.port()))).as("acknowledged writes missing after a SIGKILL")
				.isEmpty();
		}
	}

}
