package org.critcare.cds.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The packaged server run as a separate process, as {@code run.sh} runs it, so that a
 * test can kill it with SIGKILL and start it again on the same data directory (on
 * PostgreSQL when the tests run there: {@link PostgresTestDatabases}).
 */
public final class ServerProcess {

	private final Path dataDir;

	private final Path log;

	private final int port;

	private final List<String> arguments;

	private Process process;

	public ServerProcess(Path dataDir, List<String> arguments) {
		this(dataDir, dataDir.getFileName().toString(), arguments);
	}

	/**
	 * A server named in its log file's name: several servers on one data directory are
	 * nodes on one database (on PostgreSQL; an H2 file database admits one process).
	 */
	public ServerProcess(Path dataDir, String name, List<String> arguments) {
		this.dataDir = dataDir;
		this.log = dataDir.resolveSibling(name + "-server.log");
		this.port = freePort();
		this.arguments = List.copyOf(arguments);
	}

	public int port() {
		return port;
	}

	public Path log() {
		return log;
	}

	/** Starts the server and waits until readiness answers UP. */
	public void start(Duration timeout) {
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:+UseParallelGC", "-Xmx512m",
				"-XX:+ExitOnOutOfMemoryError", "-jar", jar().toString(), "--server.port=" + port,
				"--cds.data-dir=" + dataDir, "--cds.hooks.warmup-calls=0"));
		command.addAll(PostgresTestDatabases.serverArguments(dataDir));
		command.addAll(arguments);
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		Http http = new Http(port);
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The server stopped during start-up; see " + log);
			}
			try {
				if (http.get("/actuator/health/readiness").status() == 200) {
					return;
				}
			}
			catch (UncheckedIOException notYet) {
				// not listening yet
			}
			sleep(250);
		}
		throw new IllegalStateException("The server was not ready within " + timeout + "; see " + log);
	}

	/**
	 * Kills the process with SIGKILL, as a crash or the OOM killer would, and waits for
	 * it.
	 */
	public void kill() {
		process.destroyForcibly();
		try {
			process.waitFor();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** Stops the process (SIGTERM: graceful shutdown) if it still runs. */
	public void stop() {
		if (process != null && process.isAlive()) {
			process.destroy();
			try {
				process.waitFor();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static Path jar() {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("critcare-cds-.*\\.jar"))
				.filter(f -> !f.getFileName().toString().endsWith("-plain.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No packaged server in target/: run mvn package first"));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "server on port " + port + " (data " + dataDir + File.separator + ")";
	}

}
