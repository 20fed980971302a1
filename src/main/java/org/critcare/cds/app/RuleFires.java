package org.critcare.cds.app;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.critcare.cds.recommendation.DisplayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Counts the cards each rule issues, per service, rule and day in the hospital's zone, in
 * a table of the server's database, so that the committee view (issue 13) reads fires
 * that were counted, not guessed, and that survive restarts and add up over several nodes
 * on one database. Counting never slows a hook call: calls add to memory, a background
 * task adds the sums to the table every {@code cds.app.fire-flush-interval} and at
 * shutdown.
 */
@Component
public class RuleFires {

	/** The fires of one rule of one service over a period. */
	public record RuleFireCount(String service, String rule, long count) {
	}

	private record Key(String service, String rule, LocalDate day) {
	}

	private static final Logger log = LoggerFactory.getLogger(RuleFires.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();

	private final ScheduledExecutorService flusher;

	RuleFires(JdbcTemplate jdbc, AppProperties properties, DisplayProperties display) {
		this.jdbc = jdbc;
		this.clock = Clock.system(display.timeZone());
		jdbc.execute("CREATE TABLE IF NOT EXISTS cds_rule_fires (service_id VARCHAR(64) NOT NULL, "
				+ "rule_id VARCHAR(128) NOT NULL, fire_date DATE NOT NULL, fires BIGINT NOT NULL, "
				+ "PRIMARY KEY (service_id, rule_id, fire_date))");
		this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread thread = new Thread(r, "rule-fires-flush");
			thread.setDaemon(true);
			return thread;
		});
		long every = properties.fireFlushInterval().toMillis();
		flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
	}

	/** One card of this rule was issued now. */
	public void record(String service, String rule) {
		pending.computeIfAbsent(new Key(service, rule, today()), k -> new LongAdder()).increment();
	}

	/**
	 * Sets the fires of a past day when none are recorded for it (demo history): never
	 * adds to counted fires.
	 */
	public void seed(String service, String rule, LocalDate day, long count) {
		Integer existing = jdbc.queryForObject(
				"SELECT COUNT(*) FROM cds_rule_fires WHERE service_id = ? " + "AND rule_id = ? AND fire_date = ?",
				Integer.class, service, rule, day);
		if (existing != null && existing == 0) {
			try {
				jdbc.update("INSERT INTO cds_rule_fires (service_id, rule_id, fire_date, fires) VALUES (?, ?, ?, ?)",
						service, rule, day, count);
			}
			catch (DuplicateKeyException ex) {
				// another node seeded it first
			}
		}
	}

	/** The hospital's date today. */
	public LocalDate today() {
		return LocalDate.now(clock);
	}

	/** The fires per service and rule from {@code from} to {@code to}, both inclusive. */
	public List<RuleFireCount> between(LocalDate from, LocalDate to) {
		flush();
		return jdbc.query(
				"SELECT service_id, rule_id, SUM(fires) FROM cds_rule_fires WHERE fire_date BETWEEN ? AND ? "
						+ "GROUP BY service_id, rule_id ORDER BY service_id, rule_id",
				(row, i) -> new RuleFireCount(row.getString(1), row.getString(2), row.getLong(3)), from, to);
	}

	/**
	 * Adds the counted fires to the table; what cannot be written now is kept for later.
	 */
	synchronized void flush() {
		List<Key> keys = new ArrayList<>(pending.keySet());
		for (Key key : keys) {
			LongAdder adder = pending.remove(key);
			long count = adder == null ? 0 : adder.sumThenReset();
			if (count == 0) {
				continue;
			}
			try {
				add(key, count);
			}
			catch (DataAccessException ex) {
				pending.computeIfAbsent(key, k -> new LongAdder()).add(count);
				throw ex;
			}
		}
	}

	private void add(Key key, long count) {
		Object[] where = { count, key.service(), key.rule(), key.day() };
		if (jdbc.update("UPDATE cds_rule_fires SET fires = fires + ? WHERE service_id = ? AND rule_id = ? "
				+ "AND fire_date = ?", where) > 0) {
			return;
		}
		try {
			jdbc.update("INSERT INTO cds_rule_fires (service_id, rule_id, fire_date, fires) VALUES (?, ?, ?, ?)",
					key.service(), key.rule(), key.day(), count);
		}
		catch (DuplicateKeyException ex) {
			// another node inserted the row in between
			jdbc.update("UPDATE cds_rule_fires SET fires = fires + ? WHERE service_id = ? AND rule_id = ? "
					+ "AND fire_date = ?", where);
		}
	}

	private void flushQuietly() {
		try {
			flush();
		}
		catch (RuntimeException ex) {
			log.warn("rule fires not yet written (kept for the next attempt): {}", ex.getClass().getSimpleName());
		}
	}

	@PreDestroy
	void close() {
		flusher.shutdown();
		flushQuietly();
	}

}
