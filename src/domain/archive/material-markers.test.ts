import { describe, expect, it } from 'vitest';
import { extractMarkers, materialFromHref } from './material-markers.js';

describe('extractMarkers', () => {
  it('takes a single marker out, about the whole title', () => {
    expect(extractMarkers('Bridging/STP (slides)')).toEqual({
      title: 'Bridging/STP',
      materials: [{ kind: 'slides', label: 'slides', about: 'Bridging/STP' }],
    });
    expect(extractMarkers('Scalability, hardware LRO (slides)').materials[0]?.about).toBe('Scalability, hardware LRO');
  });

  it('gives each of several markers the words since the previous marker or comma', () => {
    expect(extractMarkers('LNST (slides) and "team" (slides) (a bonding alternative)')).toEqual({
      title: 'LNST and "team" (a bonding alternative)',
      materials: [
        { kind: 'slides', label: 'slides', about: 'LNST' },
        { kind: 'slides', label: 'slides', about: '"team"' },
      ],
    });
    expect(extractMarkers('IRQ name/balancing (slides), openvswitch, virtio multiq/perf (slides)')).toEqual({
      title: 'IRQ name/balancing, openvswitch, virtio multiq/perf',
      materials: [
        { kind: 'slides', label: 'slides', about: 'IRQ name/balancing' },
        { kind: 'slides', label: 'slides', about: 'virtio multiq/perf' },
      ],
    });
  });

  it('maps N markers onto N comma-separated parts', () => {
    expect(extractMarkers('iWarp portspace, standard netdev module parms, advanced stats (slides, slides, slides )').materials).toEqual([
      { kind: 'slides', label: 'slides', about: 'iWarp portspace' },
      { kind: 'slides', label: 'slides', about: 'standard netdev module parms' },
      { kind: 'slides', label: 'slides', about: 'advanced stats' },
    ]);
  });

  it('reads kinds and formats', () => {
    expect(extractMarkers('Catching up with Herbert (slides, animations)').materials).toEqual([
      { kind: 'slides', label: 'slides', about: 'Catching up with Herbert' },
      { kind: 'animation', label: 'animations', about: 'Catching up with Herbert' },
    ]);
    expect(extractMarkers('bpf updates (PDF, PDF)')).toEqual({
      title: 'bpf updates',
      materials: [
        { kind: 'slides', format: 'pdf', label: 'PDF', about: 'bpf updates' },
        { kind: 'slides', format: 'pdf', label: 'PDF', about: 'bpf updates' },
      ],
    });
  });

  it('keeps the words of a group that are not markers', () => {
    expect(extractMarkers('identifier-locator address (ILA, in PDF)')).toEqual({
      title: 'identifier-locator address (ILA)',
      materials: [{ kind: 'slides', format: 'pdf', label: 'PDF', about: 'identifier-locator address (ILA)' }],
    });
    expect(extractMarkers('protocols(TCP) for code sharing')).toEqual({ title: 'protocols(TCP) for code sharing', materials: [] });
    expect(extractMarkers('(topic undecided as of yet)').materials).toEqual([]);
  });

  it('gives markers the urls of their links, in order', () => {
    const links = [
      { text: 'PDF', href: 'a.pdf' },
      { text: 'PDF', href: 'b.pdf' },
      { text: 'Tom Herbert', href: 'https://example.org/~tom' },
      { text: 'demo', href: 'https://youtu.be/x' },
    ];
    expect(extractMarkers('bpf updates (PDF, PDF) and a demo', links).materials).toEqual([
      { kind: 'slides', format: 'pdf', label: 'PDF', about: 'bpf updates', url: 'a.pdf' },
      { kind: 'slides', format: 'pdf', label: 'PDF', about: 'bpf updates', url: 'b.pdf' },
      { kind: 'video', label: 'demo', about: 'demo', url: 'https://youtu.be/x' },
    ]);
  });
});

describe('extractMarkers on an HTML page whose links are the markers', () => {
  it('gives a marker its url when the parentheses are inside the link', () => {
    expect(extractMarkers('rhashtable (PDF)', [{ text: '(PDF)', href: 'http://vger.kernel.org/t.pdf' }])).toEqual({
      title: 'rhashtable',
      materials: [{ kind: 'slides', format: 'pdf', label: 'PDF', about: 'rhashtable', url: 'http://vger.kernel.org/t.pdf' }],
    });
  });

  it('takes linked marker words at the end of a title out, without parentheses', () => {
    const links = [
      { text: 'PDF', href: 'a.pdf' },
      { text: 'PDF', href: 'b.pdf' },
    ];
    expect(extractMarkers('Über-offload PDF, PDF', links)).toEqual({
      title: 'Über-offload',
      materials: [
        { kind: 'slides', format: 'pdf', label: 'PDF', about: 'Über-offload', url: 'a.pdf' },
        { kind: 'slides', format: 'pdf', label: 'PDF', about: 'Über-offload', url: 'b.pdf' },
      ],
    });
    expect(extractMarkers('Catching up slides and video.', [{ text: 'slides', href: 's.odp' }, { text: 'video', href: 'https://youtu.be/x' }]).materials.map((m) => [m.kind, m.url])).toEqual([
      ['slides', 's.odp'],
      ['video', 'https://youtu.be/x'],
    ]);
  });

  it('leaves marker words that are no link, or more of them than links, in the title', () => {
    expect(extractMarkers('Why we need notes', [{ text: 'Why', href: 'https://example.org/' }]).title).toBe('Why we need notes');
    expect(extractMarkers('Offload PDF, PDF', [{ text: 'PDF', href: 'a.pdf' }]).title).toBe('Offload PDF, PDF');
    expect(extractMarkers('Offload PDF', []).title).toBe('Offload PDF');
  });
});

describe('materialFromHref', () => {
  it('knows documents by their extension', () => {
    expect(materialFromHref('x', 'slides/x.PDF?dl=1')).toEqual({ kind: 'slides', format: 'pdf', label: 'x', url: 'slides/x.PDF?dl=1' });
    expect(materialFromHref('x', 'p/group.jpg')?.kind).toBe('photo');
    expect(materialFromHref('x', 'https://example.org/')).toBeNull();
  });
});
