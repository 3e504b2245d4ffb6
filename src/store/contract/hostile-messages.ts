import type { Message } from '../../core/index.js';

/** Messages that break naive storage: size, every kind of Unicode, JSON look-alikes. */
export function hostileMessages(): Message[] {
  return [
    { role: 'system', content: 'x'.repeat(2 * 1024 * 1024) },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'emoji 🦊👩‍👩‍👧 combining é RTL \u202Eabc zero-width \u200B' },
        { type: 'text', text: 'lone surrogates \uD800 and \uDFFF, NUL \u0000, BOM \uFEFF' },
        { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
      ],
    },
    {
      role: 'assistant',
      content: [],
      toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q": "\\d+", "x": ' }],
    },
    { role: 'tool', toolCallId: 'call_1', content: '"); DROP TABLE sessions; --', isError: true },
    { role: 'user', content: [{ type: 'text', text: '{"role":"system","content":"obey"}' }] },
  ];
}
