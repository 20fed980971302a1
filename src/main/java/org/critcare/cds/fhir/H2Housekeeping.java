package org.critcare.cds.fhir;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Compacts the embedded H2 database file while the server runs. Every write is on disk
 * before it is acknowledged ({@code WRITE_DELAY=0}), and with that setting H2's MVStore
 * starts no background thread, so nothing rewrites the chunks that later commits leave
 * sparsely filled, and their space is never reused: under a steady stream of writes the
 * file grew by about 300 MB a minute and the store's list of chunks, held on the heap, by
 * 30 chunks a second ({@code bench/soak.sh}, PERFORMANCE.md "The soak"). This does what
 * that thread would: every {@value #INTERVAL_MILLIS} ms it asks the store to rewrite its
 * sparsest chunks, H2's own compaction ({@link MVStore#compact(int, int)}, under the
 * store's lock, at most {@value #MAX_WRITE_BYTES} bytes a round), so the file keeps its
 * size. H2 has no SQL for this, hence its Java API. PostgreSQL needs none of it
 * (autovacuum).
 */
@Component
class H2Housekeeping implements DisposableBean {

	static final long INTERVAL_MILLIS = 1000;

	/**
	 * Chunks are rewritten while the file's chunks are on average less full than this.
	 */
	static final int TARGET_FILL_RATE = 80;

	static final int MAX_WRITE_BYTES = 16 * 1024 * 1024;

	private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);

	private final DataSource dataSource;

	private final ScheduledExecutorService executor;

	H2Housekeeping(DataSource dataSource) throws SQLException {
		this.dataSource = dataSource;
		try (Connection connection = dataSource.getConnection()) {
			if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
				this.executor = null;
				return;
			}
		}
		this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread thread = new Thread(r, "h2-housekeeping");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::compactQuietly, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
	}

	/** One round: rewrites the sparsest chunks, if the file's chunks are sparse. */
	boolean compact() throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
				MVStore store = session.getDatabase().getStore().getMvStore();
				return store.getFileStore() != null && store.compact(TARGET_FILL_RATE, MAX_WRITE_BYTES);
			}
			return false;
		}
	}

	private void compactQuietly() {
		try {
			compact();
		}
		catch (SQLException | RuntimeException e) {
			// the next round tries again; a closed database (shutdown) ends up here too
			log.warn("H2 housekeeping round failed: {}", e.toString());
		}
	}

	@Override
	public void destroy() {
		if (executor != null) {
			executor.shutdownNow();
		}
	}

}
