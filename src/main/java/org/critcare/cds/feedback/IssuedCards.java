package org.critcare.cds.feedback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PreDestroy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.critcare.cds.knowledge.OverrideReason;
import org.critcare.cds.knowledge.RuleDefinition;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.recommendation.RecommendationService;
import org.critcare.cds.recommendation.UnknownServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which service and rule each issued card came from, by card uuid, so that feedback (CDS
 * Hooks 2.0 §Feedback) — which names only the card — can be counted per rule and its
 * override reason and accepted suggestions checked against those the card offered, on
 * whichever node of a database the feedback arrives (issue 14). A card is remembered in
 * memory at once; on a database that several nodes may share (PostgreSQL, not the
 * embedded H2, which belongs to one process) it is also written to the table
 * {@code cds_issued_cards} by a background task every
 * {@code cds.hooks.issued-card-flush-interval}, in one transaction, so a hook call never
 * waits for the database. Feedback looks in memory first, then in the table, and for a
 * card found in neither once more after two flush intervals, the time the issuing node
 * takes to write it. Rows older than {@code cds.hooks.issued-card-retention} are purged;
 * feedback on a card no longer remembered is still stored, without its rule.
 */
@Component
public class IssuedCards {

	/**
	 * The origin of an issued card, the override reasons it offered (shared with the
	 * rule, not copied) and the uuids of its suggestions.
	 */
	public record IssuedCard(String serviceId, String ruleId, List<OverrideReason> overrideReasons,
			Set<String> suggestionIds) {
	}

	private record Row(String uuid, IssuedCard card, long issuedAt) {
	}

	private static final Logger log = LoggerFactory.getLogger(IssuedCards.class);

	private static final long PURGE_EVERY_MILLIS = Duration.ofMinutes(10).toMillis();

	private static final String INSERT = "INSERT INTO cds_issued_cards (card_uuid, service_id, rule_id, "
			+ "suggestion_ids, issued_at) VALUES (?, ?, ?, ?, ?)";

	private final Cache<String, IssuedCard> cards;

	private final JdbcTemplate jdbc;

	private final RecommendationService recommendations;

	private final long retentionMillis;

	/** Whether other nodes may use this database: then cards are shared through it. */
	private final boolean shared;

	private final long missWaitMillis;

	private final BlockingQueue<Row> unwritten;

	private final ScheduledExecutorService writer;

	private long lastPurge;

	IssuedCards(IssuedCardsProperties properties, JdbcTemplate jdbc, RecommendationService recommendations) {
		this.cards = Caffeine.newBuilder()
			.maximumSize(properties.issuedCardCapacity())
			.expireAfterWrite(properties.issuedCardRetention())
			.build();
		this.jdbc = jdbc;
		this.recommendations = recommendations;
		this.retentionMillis = properties.issuedCardRetention().toMillis();
		this.unwritten = new LinkedBlockingQueue<>((int) Math.min(properties.issuedCardCapacity(), 1_000_000));
		long every = properties.issuedCardFlushInterval().toMillis();
		this.missWaitMillis = 2 * every;
		this.shared = !"H2".equals(jdbc
			.execute((ConnectionCallback<String>) connection -> connection.getMetaData().getDatabaseProductName()));
		if (!shared) {
			this.writer = null;
			return;
		}
		jdbc.execute("CREATE TABLE IF NOT EXISTS cds_issued_cards (card_uuid VARCHAR(64) PRIMARY KEY, "
				+ "service_id VARCHAR(64) NOT NULL, rule_id VARCHAR(128) NOT NULL, "
				+ "suggestion_ids VARCHAR(4000) NOT NULL, issued_at BIGINT NOT NULL)");
		jdbc.execute("CREATE INDEX IF NOT EXISTS cds_issued_cards_issued_at ON cds_issued_cards (issued_at)");
		this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread thread = new Thread(r, "issued-cards-flush");
			thread.setDaemon(true);
			return thread;
		});
		writer.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
	}

	/**
	 * Remembers a card the transport is returning: in memory now, in the table at the
	 * next flush.
	 */
	public void remember(String uuid, IssuedCard card) {
		cards.put(uuid, card);
		if (shared && !unwritten.offer(new Row(uuid, card, System.currentTimeMillis()))) {
			log.warn("issued card not shared with other nodes: {} cards await writing", unwritten.size());
		}
	}

	/**
	 * The issued card with this uuid: from memory, else from the table (waiting once for
	 * another node's flush).
	 */
	Optional<IssuedCard> find(String uuid) {
		IssuedCard known = cards.getIfPresent(uuid);
		if (known != null || !shared) {
			return Optional.ofNullable(known);
		}
		Optional<IssuedCard> stored = stored(uuid);
		if (stored.isEmpty()) {
			try {
				Thread.sleep(missWaitMillis);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return Optional.empty();
			}
			stored = stored(uuid);
		}
		stored.ifPresent(card -> cards.put(uuid, card));
		return stored;
	}

	private Optional<IssuedCard> stored(String uuid) {
		List<IssuedCard> found = jdbc.query(
				"SELECT service_id, rule_id, suggestion_ids FROM cds_issued_cards WHERE card_uuid = ? "
						+ "AND issued_at >= ?",
				(row, i) -> card(row.getString(1), row.getString(2), row.getString(3)), uuid,
				System.currentTimeMillis() - retentionMillis);
		return found.stream().findFirst();
	}

	/**
	 * A card read from the table: its override reasons are its rule's in the knowledge in
	 * force (all of the service's when the rule is gone).
	 */
	private IssuedCard card(String serviceId, String ruleId, String suggestionIds) {
		List<OverrideReason> reasons = List.of();
		try {
			ServiceDefinition service = recommendations.service(serviceId);
			reasons = service.rules()
				.stream()
				.filter(rule -> rule.id().equals(ruleId))
				.findFirst()
				.map(RuleDefinition::overrideReasons)
				.orElseGet(() -> service.rules().stream().flatMap(rule -> rule.overrideReasons().stream()).toList());
		}
		catch (UnknownServiceException gone) {
			// the service is no longer offered: feedback on it is refused before this
		}
		Set<String> suggestions = suggestionIds.isEmpty() ? Set.of()
				: Arrays.stream(suggestionIds.split(" ")).collect(Collectors.toUnmodifiableSet());
		return new IssuedCard(serviceId, ruleId, reasons, suggestions);
	}

	/**
	 * Writes the cards issued since the last flush in one transaction, and purges expired
	 * rows now and then; what cannot be written now is kept for the next attempt.
	 */
	synchronized void flush() {
		List<Row> batch = new ArrayList<>();
		unwritten.drainTo(batch);
		if (!batch.isEmpty()) {
			try {
				insert(batch);
			}
			catch (DataIntegrityViolationException ex) {
				batch.forEach(this::insertAlone);
			}
			catch (DataAccessException ex) {
				batch.forEach(unwritten::offer);
				throw ex;
			}
		}
		long now = System.currentTimeMillis();
		if (now - lastPurge > PURGE_EVERY_MILLIS) {
			jdbc.update("DELETE FROM cds_issued_cards WHERE issued_at < ?", now - retentionMillis);
			lastPurge = now;
		}
	}

	private void insert(List<Row> batch) {
		jdbc.execute((ConnectionCallback<Void>) connection -> {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
				for (Row row : batch) {
					insert.setString(1, row.uuid());
					insert.setString(2, row.card().serviceId());
					insert.setString(3, row.card().ruleId());
					insert.setString(4, String.join(" ", row.card().suggestionIds()));
					insert.setLong(5, row.issuedAt());
					insert.addBatch();
				}
				insert.executeBatch();
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
			return null;
		});
	}

	/**
	 * One row on its own, after its batch failed: a row that cannot be stored is left
	 * out.
	 */
	private void insertAlone(Row row) {
		try {
			jdbc.update(INSERT, row.uuid(), row.card().serviceId(), row.card().ruleId(),
					String.join(" ", row.card().suggestionIds()), row.issuedAt());
		}
		catch (DataIntegrityViolationException ex) {
			log.warn("issued card not shared with other nodes: {}", ex.getClass().getSimpleName());
		}
	}

	private void flushQuietly() {
		try {
			flush();
		}
		catch (RuntimeException ex) {
			log.warn("issued cards not yet written (kept for the next attempt): {}", ex.getClass().getSimpleName());
		}
	}

	@PreDestroy
	void close() {
		if (writer != null) {
			writer.shutdown();
			flushQuietly();
		}
	}

}
