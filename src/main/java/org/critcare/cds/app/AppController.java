package org.critcare.cds.app;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.critcare.cds.cdshooks.CdsHooksProperties;
import org.critcare.cds.recommendation.DisplayProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * What the SMART app at {@code /app/} reads besides FHIR and CDS Hooks: its settings
 * (hospital time zone, default language) and the counted rule fires of the committee
 * view. The app's files are built from {@code src/main/app} into {@code static/app}.
 */
@RestController
class AppController {

	private static final int MAX_DAYS = 3660;

	private final DisplayProperties display;

	private final CdsHooksProperties hooks;

	private final RuleFires fires;

	AppController(DisplayProperties display, CdsHooksProperties hooks, RuleFires fires) {
		this.display = display;
		this.hooks = hooks;
		this.fires = fires;
	}

	@GetMapping("/app")
	RedirectView app() {
		RedirectView view = new RedirectView("/app/", true);
		view.setPropagateQueryParams(true);
		return view;
	}

	@GetMapping("/app/")
	ModelAndView index() {
		return new ModelAndView("forward:/app/index.html");
	}

	@GetMapping(path = "/app/api/config", produces = "application/json")
	Map<String, Object> config() {
		return Map.of("timeZone", display.timeZone().getId(), "defaultLanguage", hooks.defaultLanguage(), "languages",
				hooks.languages());
	}

	/**
	 * Fires per service and rule over {@code from}..{@code to} (ISO dates, inclusive).
	 */
	@GetMapping(path = "/app/api/rule-fires", produces = "application/json")
	Map<String, Object> ruleFires(@RequestParam(name = "from", required = false) String from,
			@RequestParam(name = "to", required = false) String to) {
		LocalDate start = date(from);
		LocalDate end = date(to);
		if (end.isBefore(start) || start.plusDays(MAX_DAYS).isBefore(end)) {
			throw new IllegalArgumentException(
					"to must not be before from, nor more than " + MAX_DAYS + " days after it");
		}
		List<RuleFires.RuleFireCount> counts = fires.between(start, end);
		return Map.of("from", start.toString(), "to", end.toString(), "fires", counts);
	}

	private static LocalDate date(String value) {
		if (value == null) {
			throw new IllegalArgumentException("from and to are required, as dates such as 2026-12-01");
		}
		try {
			return LocalDate.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("from and to must be dates such as 2026-12-01");
		}
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException ex) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST)
			.body(Map.of("error", "INVALID_PERIOD", "message", ex.getMessage()));
	}

}
