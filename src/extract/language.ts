// Language identification of article text with fastText's lid.176 model (shipped inside
// fasttext.wasm.js). The model is loaded once per process; after `loadLanguageModel()` resolved,
// `detectLanguageSync` answers without awaiting, which lets synchronous extraction use it.

interface Predictor {
  predict(text: string, k: number, threshold: number): { size(): number; get(i: number): [number, string] };
}

let loading: Promise<Predictor> | null = null;
let predictor: Predictor | null = null;

/** Loads the language-id model (about half a second, once). */
export function loadLanguageModel(): Promise<void> {
  loading ??= (async () => {
    // Imported here: a process whose pages are extracted in worker threads never loads the wasm.
    const { getLIDModel } = await import('fasttext.wasm.js');
    const model = await getLIDModel();
    const loaded = (await model.load()) as unknown as Predictor;
    predictor = loaded;
    return loaded;
  })();
  return loading.then(() => undefined);
}

/** Below this, a guess on short or mixed text is more often wrong than right. */
const MIN_PROBABILITY = 0.5;
const MIN_LETTERS = 20;

function prepare(text: string): string | null {
  // The model reads one line; URLs and numbers carry no language.
  const cleaned = text.replace(/https?:\/\/\S+/g, ' ').replace(/[\d\s]+/g, ' ').trim().slice(0, 1500);
  const letters = cleaned.replace(/[^\p{L}]/gu, '').length;
  return letters >= MIN_LETTERS ? cleaned : null;
}

function predictWith(model: Predictor, text: string): string | null {
  const line = prepare(text);
  if (!line) return null;
  const result = model.predict(line, 1, 0);
  if (result.size() === 0) return null;
  const [probability, label] = result.get(0);
  if (probability < MIN_PROBABILITY) return null;
  // Labels are Wikipedia codes (`__label__en`); the two-letter ones are ISO 639-1.
  const code = label.replace('__label__', '').toLowerCase();
  return /^[a-z]{2,3}$/.test(code) ? code : null;
}

/** The main language of a text as an ISO 639-1 code (`en`, `de`), or null when unsure. */
export async function detectLanguage(text: string): Promise<string | null> {
  await loadLanguageModel();
  return predictWith(predictor!, text);
}

/** Like `detectLanguage`, but returns null when the model has not been loaded yet. */
export function detectLanguageSync(text: string): string | null {
  return predictor ? predictWith(predictor, text) : null;
}
