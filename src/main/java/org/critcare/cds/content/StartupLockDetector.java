package org.critcare.cds.content;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Makes everything that uses the database wait for the {@link StartupLock}: Spring Boot's
 * database-initialization ordering (registered in {@code META-INF/spring.factories})
 * makes every {@code JdbcOperations}, {@code EntityManagerFactory} and
 * {@code @DependsOnDatabaseInitialization} bean depend on the beans detected here, as it
 * does for Flyway or schema scripts.
 */
class StartupLockDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return Set.of(StartupLock.class);
	}

}
