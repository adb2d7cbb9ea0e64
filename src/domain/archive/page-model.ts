/**
 * What the importer understands of one legacy Netconf page, before it touches the database.
 *
 * The parsers (text and HTML) produce a ParsedPage; archive/store.ts writes it as one edition.
 * Every field is a fact read off the page; nothing here is computed from other pages except the
 * split of a speaker's name from a topic, which may use names known from elsewhere.
 */

/** A line of the source page as the parsers see it. `cells` is set when a table delimited it (HTML). */
export interface SourceLine {
  /** 1-based line number in the source file. */
  line: number;
  text: string;
  /** HTML: the td/th texts, each cell's lines (broken by <br> or a block in it) joined by "\n". */
  cells?: string[];
  links?: { text: string; href: string }[];
  images?: { alt: string; src: string }[];
  /** HTML only: the block element that made the line ('p', 'li', 'tr', 'h1', 'dt', 'dd', …). */
  tag?: string;
  /** HTML only: texts of <b>/<strong> inside the line (a topic's title in a list, say). */
  bold?: string[];
  /** HTML only: links and images left out, with why (link-target.ts). */
  dropped?: { href: string; why: string }[];
  /**
   * HTML only, when a link was left out: every link's text in the line's order, `href` '' for
   * those left out, so that a slide marker whose link was left out is still read as a marker.
   */
  anchors?: { text: string; href: string }[];
}

export type SlotKind = 'talk' | 'discussion' | 'break' | 'meal' | 'social';
export type MaterialKind = 'slides' | 'notes' | 'photo' | 'animation' | 'whitepaper' | 'video' | 'other';
export type SponsorKind = 'company' | 'event';
export type SectionKey =
  | 'intro'
  | 'location'
  | 'dates'
  | 'sponsors'
  | 'committee'
  | 'attendees'
  | 'notes'
  | 'agenda'
  | 'invitee-topics'
  | 'proposed-topics'
  | 'materials'
  | 'references';

export interface ParsedPerson {
  name: string;
  email?: string;
  /** The line of the page that lists them (lists only). */
  line?: number;
  /** The page showed "(" where an address had been: an address exists but is not shown. */
  emailRedacted?: boolean;
}

export interface ParsedMaterial {
  kind: MaterialKind;
  /** e.g. 'pdf'; empty when the page does not say. */
  format?: string;
  /** The words that carried the link, e.g. "slides", "PDF", "TCP_OSDL". */
  label: string;
  /** What the material belongs to inside a title, e.g. "LNST" for "LNST (slides)". */
  about?: string;
  url?: string;
  /** Free-text credit, e.g. "DaveM". */
  credit?: string;
  /** Person credited, when the credit is a person's name. */
  author?: string;
}

export interface ParsedSlot {
  line: number;
  /** "HH:MM" 24-hour. */
  start: string;
  /** "HH:MM" 24-hour, when the page gives a range. */
  end?: string;
  /** "3:00pm+": runs on with no set end. */
  openEnded?: boolean;
  /** The time exactly as written on the page. */
  timeText: string;
  kind: SlotKind;
  /** The topic as shown in the table, without material markers; lines joined with "\n". */
  title: string;
  /** A quoted talk title, e.g. "Encapsulation & Offload Support". */
  talkTitle?: string;
  speakers: string[];
  /** The room, from an HTML table's Room column. */
  room?: string;
  materials: ParsedMaterial[];
}

export interface ParsedDay {
  line: number;
  /** ISO date. */
  date: string;
  /** The header as written, e.g. "July 14th:". */
  label: string;
  /** The table header as written, e.g. "Time Speaker Topics"; empty for the 2004 style. */
  columns: string;
  slots: ParsedSlot[];
}

export interface ParsedTopic {
  line: number;
  /** Position in a numbered list, or order of appearance. */
  number: number;
  title: string;
  description?: string;
  /** For "topics per invitee" tables: who brings it. */
  presenters: string[];
}

export interface ParsedSponsor {
  name: string;
  kind: SponsorKind;
  /** Alt text of a logo image, when the page showed one. */
  logoAlt?: string;
  logoSrc?: string;
  url?: string;
}

export interface SkippedLine {
  line: number;
  text: string;
  reason: string;
}

export interface ParsedPage {
  /** "Linux Kernel Developers' Netconf 2014" (a two-line title joined by one space). */
  title: string;
  /** The series name read off the title, e.g. "Netconf". */
  seriesName: string;
  year: number;
  subtitle?: string;
  /** Lines of the motto, e.g. 2019's "first rule of Netconf". */
  motto?: string;
  /** Prose paragraphs in order, with the page's own "running for the Nth year" clause removed. */
  intro: string[];
  /** The location as written, e.g. "Chicago, IL". */
  locationText?: string;
  city?: string;
  region?: string;
  country?: string;
  /** The dates as written, e.g. "February 12-13, 2015". */
  datesText?: string;
  startDate?: string;
  endDate?: string;
  /** IANA zone derived from the place, when known. */
  timeZone?: string;
  colocated?: {
    name: string;
    sentence: string;
    startDate?: string;
    endDate?: string;
    place?: string;
    datesText?: string;
  };
  /** The agenda (or topics list) was marked "(Tentative)". */
  tentative: boolean;
  sponsors: ParsedSponsor[];
  committee: (ParsedPerson & { role?: string })[];
  /**
   * Attendee list as printed; null when the page has no attendee list (2015). `role`: the words
   * after the name and address, a company or a role ("Red Hat").
   */
  attendees: (ParsedPerson & { role?: string })[] | null;
  /** Label of the attendee heading, e.g. "Attendees (by invitation only)". */
  attendeesLabel?: string;
  meetingNotes: ParsedMaterial[];
  /** `src` the full-size photo; `thumb` the image the page showed, when it links to another. */
  groupPhoto?: { caption: string; src?: string; thumb?: string };
  days: ParsedDay[];
  /** Numbered "(Tentative) Topics" with descriptions (2004). */
  proposedTopics: ParsedTopic[];
  /** "Topics/Invitees" table: invitees with zero or more topics each, no times (2019). */
  inviteeTopics: { line: number; name: string; topics: string[] }[];
  /** Slides and photos not tied to a slot (2004). */
  materials: ParsedMaterial[];
  materialsLabel?: string;
  references: { title: string; url?: string }[];
  /** Order in which the page presents its sections. */
  sections: SectionKey[];
  /** Lines the parser saw but could not place, each with a reason. */
  skipped: SkippedLine[];
  /** Things the parser decided with less than full certainty (e.g. a speaker name guessed). */
  notes: { line: number; message: string }[];
}
