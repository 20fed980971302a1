// Small DOM helpers: elements built with textContent (never innerHTML from data), and times in the hospital's zone.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

export function formatTime(value, timeZone, language) {
  const date = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

export function formatClock(value, timeZone, language) {
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(value));
}

// Card details are CommonMark; the app shows paragraphs, "- " lists and **bold**, everything else as text.
export function markdown(text) {
  const container = el('div', { class: 'markdown' });
  for (const block of (text || '').split(/\n\s*\n/)) {
    const lines = block.split('\n');
    if (lines.every((line) => /^\s*[-*] /.test(line))) {
      container.append(el('ul', {}, lines.map((line) => el('li', {}, inline(line.replace(/^\s*[-*] /, ''))))));
    } else {
      container.append(el('p', {}, inline(lines.join(' '))));
    }
  }
  return container;
}

function inline(text) {
  return text.split(/(\*\*[^*]+\*\*)/).map((part) =>
    part.startsWith('**') && part.endsWith('**') ? el('strong', {}, part.slice(2, -2)) : part);
}
