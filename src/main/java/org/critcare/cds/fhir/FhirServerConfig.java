package org.critcare.cds.fhir;

import java.time.ZonedDateTime;
import org.critcare.cds.cdshooks.CdsHooksProperties;
import org.critcare.cds.cql.ApplyParameters;
import org.critcare.cds.recommendation.CardTextParameters;
import org.critcare.cds.recommendation.DisplayProperties;
import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.jpa.dao.search.HSearchSortHelperImpl;
import ca.uhn.fhir.jpa.dao.search.IHSearchSortHelper;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import javax.sql.DataSource;
import org.hibernate.cfg.AvailableSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The HAPI FHIR JPA server for FHIR R4 at {@code /fhir}: storage settings, the entity
 * manager on the configured data source (embedded H2 by default, PostgreSQL with the
 * {@code postgres} profile) and the {@link RestfulServer} with CRUD, search, history,
 * batch/transaction, {@code $validate}, {@code ValueSet/$expand} and
 * {@code $validate-code}, {@code CodeSystem/$lookup}.
 */
@Configuration(proxyBeanMethods = false)
@Import({ JpaR4Config.class, ThreadPoolFactoryConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
		SubscriptionChannelConfig.class })
class FhirServerConfig {

	/**
	 * {@code PlanDefinition/$apply} fills action texts in the language the hooks would
	 * choose for the same {@code Accept-Language}, times in the hospital's zone.
	 */
	@Bean
	ApplyParameters applyParameters(CdsHooksProperties hooks, DisplayProperties display) {
		return preferred -> CardTextParameters.of(
				CardTextParameters.language(preferred, hooks.languages(), hooks.defaultLanguage()), display.timeZone(),
				ZonedDateTime.now());
	}

	@Bean
	JpaStorageSettings jpaStorageSettings(FhirServerProperties properties) {
		JpaStorageSettings settings = new JpaStorageSettings();
		settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ALPHANUMERIC);
		settings.setAllowMultipleDelete(false);
		settings.setAllowContainsSearches(true);
		settings.setExpungeEnabled(false);
		settings.setDeleteExpungeEnabled(false);
		long reuseMillis = properties.reuseCachedSearchResults().toMillis();
		settings.setReuseCachedSearchResultsForMillis(reuseMillis > 0 ? reuseMillis : null);
		settings.setFetchSizeDefaultMaximum(properties.maxPageSize());
		settings.setHibernateSearchIndexFullText(false);
		// No Hibernate Search (and so no full-text search service): HAPI then expands
		// ValueSets, looks codes up and validates them from the stored CodeSystems
		// themselves; its background pre-expansion would need Hibernate Search
		settings.setPreExpandValueSets(false);
		settings.setEnableTaskPreExpandValueSets(false);
		settings.setHibernateSearchIndexSearchParams(false);
		return settings;
	}

	@Bean
	PartitionSettings partitionSettings() {
		return new PartitionSettings();
	}

	@Bean
	SubscriptionSettings subscriptionSettings() {
		return new SubscriptionSettings();
	}

	@Bean
	IHSearchSortHelper hSearchSortHelper(ISearchParamRegistry searchParamRegistry) {
		return new HSearchSortHelperImpl(searchParamRegistry);
	}

	@Bean
	IStaleSearchDeletingSvc staleSearchDeletingSvc() {
		return new StaleSearchDeletingSvcImpl();
	}

	@Bean
	DatabaseBackedPagingProvider databaseBackedPagingProvider(FhirServerProperties properties) {
		DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
		paging.setDefaultPageSize(properties.defaultPageSize());
		paging.setMaximumPageSize(properties.maxPageSize());
		return paging;
	}

	@Bean
	IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
		return new DaoRegistryResourceSupportedSvc(daoRegistry);
	}

	@Bean(name = "myResourceCountsCache")
	ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
		return ResourceCountCacheUtil.newResourceCountCache(systemDao);
	}

	@Primary
	@Bean
	LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beanFactory,
			FhirContext fhirContext, JpaStorageSettings storageSettings, JpaProperties jpaProperties,
			DataSource dataSource) {
		LocalContainerEntityManagerFactoryBean factory = HapiEntityManagerFactoryUtil
			.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
		var properties = jpaProperties.getProperties();
		properties.putIfAbsent(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
		properties.putIfAbsent(AvailableSettings.HBM2DDL_AUTO, "update");
		properties.putIfAbsent(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
		properties.putIfAbsent(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
		properties.putIfAbsent(AvailableSettings.USE_QUERY_CACHE, "false");
		properties.putIfAbsent("hibernate.search.enabled", "false");
		factory.setPersistenceUnitName("HAPI_PU");
		factory.setJpaPropertyMap(properties);
		factory.setDataSource(dataSource);
		return factory;
	}

	@Primary
	@Bean
	JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
		return new JpaTransactionManager(entityManagerFactory);
	}

	@Bean
	RestfulServer fhirRestfulServer(IFhirSystemDao<?, ?> systemDao, ResourceProviderFactory resourceProviders,
			IJpaSystemProvider systemProvider, ValueSetOperationProvider valueSetOperations,
			JpaStorageSettings storageSettings, ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport, DatabaseBackedPagingProvider pagingProvider,
			RequestLogInterceptor requestLog, FhirRequestGuard guard, FhirErrorInterceptor errors,
			FhirServerProperties properties) {
		FhirContext fhirContext = systemDao.getContext();
		fhirContext.setNarrativeGenerator(new NullNarrativeGenerator());
		RestfulServer server = new RestfulServer(fhirContext);
		server.registerProviders(resourceProviders.createProviders());
		server.registerProviders(List.of(systemProvider, valueSetOperations));
		JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(server, systemDao,
				storageSettings, searchParamRegistry, validationSupport);
		capabilities.setImplementationDescription("critcare-cds FHIR R4 server");
		server.setServerConformanceProvider(capabilities);
		server.setPagingProvider(pagingProvider);
		server.setDefaultResponseEncoding(EncodingEnum.JSON);
		server.registerInterceptor(requestLog);
		server.registerInterceptor(guard);
		server.registerInterceptor(errors);
		if (!properties.serverAddress().isBlank()) {
			server.setServerAddressStrategy(new HardcodedServerAddressStrategy(properties.serverAddress()));
		}
		return server;
	}

	@Bean
	ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
		ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
		registration.setName("fhir");
		registration.setLoadOnStartup(1);
		return registration;
	}

}
