package org.critcare.cds.content;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The start-up lock that serialises content loading over nodes on one database. */
@Configuration(proxyBeanMethods = false)
class ContentConfig {

	@Bean
	StartupLock startupLock(DataSource dataSource, ContentProperties properties) throws SQLException {
		return new StartupLock(dataSource, properties.startupLockTimeout());
	}

}
