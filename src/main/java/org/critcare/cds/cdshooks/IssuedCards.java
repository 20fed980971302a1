package org.critcare.cds.cdshooks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.critcare.cds.knowledge.OverrideReason;
import org.springframework.stereotype.Component;

/**
 * Which service and rule each issued card came from, by card uuid, so that feedback —
 * which names only the card — can be counted per rule and its override reason and
 * accepted suggestions checked against those the card offered. Bounded in size and age
 * ({@code cds.hooks.issued-card-*}); feedback on a card no longer remembered is still
 * stored, without its rule.
 */
@Component
class IssuedCards {

	/**
	 * The origin of an issued card, the override reasons it offered (shared with the
	 * rule, not copied) and the uuids of its suggestions.
	 */
	record IssuedCard(String serviceId, String ruleId, List<OverrideReason> overrideReasons,
			Set<String> suggestionIds) {
	}

	private final Cache<String, IssuedCard> cards;

	IssuedCards(CdsHooksProperties properties) {
		this.cards = Caffeine.newBuilder()
			.maximumSize(properties.issuedCardCapacity())
			.expireAfterWrite(properties.issuedCardRetention())
			.build();
	}

	void remember(String uuid, IssuedCard card) {
		cards.put(uuid, card);
	}

	Optional<IssuedCard> find(String uuid) {
		return Optional.ofNullable(cards.getIfPresent(uuid));
	}

}
