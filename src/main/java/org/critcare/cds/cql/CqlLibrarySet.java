package org.critcare.cds.cql;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.cqframework.cql.cql2elm.LibraryManager;

/**
 * A consistent set of compiled CQL libraries, kept in memory and shared by every
 * evaluation. A change of content produces a new set; evaluations in flight keep the one
 * they started with.
 */
public final class CqlLibrarySet {

	private final LibraryManager libraryManager;

	private final Map<String, CompiledCqlLibrary> libraries;

	CqlLibrarySet(LibraryManager libraryManager, Map<String, CompiledCqlLibrary> libraries) {
		this.libraryManager = libraryManager;
		this.libraries = Map.copyOf(libraries);
	}

	/** The compiled library of that name. */
	public Optional<CompiledCqlLibrary> library(String name) {
		return Optional.ofNullable(libraries.get(name));
	}

	/** Every compiled library. */
	public Collection<CompiledCqlLibrary> libraries() {
		return libraries.values();
	}

	LibraryManager libraryManager() {
		return libraryManager;
	}

}
