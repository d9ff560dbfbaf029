// Small helpers of the viewer: building DOM nodes and formatting times, ids and values.

export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'data') {
      for (const [name, item] of Object.entries(value)) {
        if (item != null) element.dataset[name] = item;
      }
    } else if (key === 'colour') element.style.setProperty('--colour', value);
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false || child === '') continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function ago(at) {
  const seconds = Math.round((Date.now() - at) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(at).toLocaleDateString([], { day: 'numeric', month: 'short' });
}

export function relativeTime(at, prefix = '') {
  return h(
    'time',
    {
      class: 'ago',
      datetime: new Date(at).toISOString(),
      title: new Date(at).toLocaleString(),
      data: { at, prefix },
    },
    prefix + ago(at),
  );
}

export function clock(at) {
  return new Date(at).toLocaleTimeString([], { hour12: false });
}

export function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function shortId(id) {
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id)
    ? id.slice(0, 8)
    : id.length > 22
      ? id.slice(0, 20) + '…'
      : id;
}

export function describeClient(client) {
  if (!client) return '';
  const ua = client.ua || '';
  const browsers = [
    ['Edge', /Edg\/(\d+)/],
    ['Firefox', /Firefox\/(\d+)/],
    ['Headless Chrome', /HeadlessChrome\/(\d+)/],
    ['Chrome', /Chrome\/(\d+)/],
    ['Safari', /Version\/(\d+).*Safari/],
  ];
  const systems = [
    ['Windows', /Windows/],
    ['Android', /Android/],
    ['iOS', /iPhone|iPad/],
    ['macOS', /Mac OS X/],
    ['Linux', /Linux|X11/],
  ];
  const browser = browsers
    .map(([name, pattern]) => [name, pattern.exec(ua)])
    .find(([, match]) => match);
  const system = systems.find(([, pattern]) => pattern.test(ua));
  const size = client.size && client.size.width ? `${client.size.width}×${client.size.height}` : '';
  return [browser && `${browser[0]} ${browser[1][1]}`, system && system[0], size]
    .filter(Boolean)
    .join(' · ');
}

export function stripOrigin(text) {
  return String(text).split(location.origin).join('');
}

export function pretty(jsonText) {
  try {
    return JSON.stringify(JSON.parse(jsonText), null, 2);
  } catch {
    return jsonText;
  }
}

export function valueText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
