package org.critcare.cds.recommendation;

import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How values are shown to clinicians ({@code cds.display.*}).
 *
 * @param timeZone the hospital's time zone: times in card texts and in the SMART app, and
 * the day a rule fire is counted on (issue 13)
 */
@ConfigurationProperties("cds.display")
public record DisplayProperties(@DefaultValue("Asia/Tokyo") ZoneId timeZone) {
}
