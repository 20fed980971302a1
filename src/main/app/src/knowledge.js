// Codes come from the server's own knowledge (the stored, pre-expanded ValueSets), never from a copy in the app.
const base = 'http://example.org/cds/ValueSet/';
const cache = new Map();

export async function valueSet(client, name) {
  const url = base + name;
  if (!cache.has(url)) {
    cache.set(url, client.request(`ValueSet?url=${encodeURIComponent(url)}`).then((bundle) => {
      const resource = bundle.entry?.[0]?.resource;
      const contains = resource?.expansion?.contains ?? [];
      return {
        title: resource?.title || name,
        codes: new Set(contains.map((c) => `${c.system}|${c.code}`)),
        contains,
      };
    }));
  }
  return cache.get(url);
}

export function hasCode(concept, set) {
  return (concept?.coding ?? []).some((coding) => set.codes.has(`${coding.system}|${coding.code}`));
}

export async function all(client, query) {
  return client.request(query, { pageLimit: 0, flat: true });
}
