/**
 * Automatic mail: out-of-office notices, vacation replies, bounces, list and bulk mail. They are
 * recorded and never acted on (an "I am away until Monday" must not decline anyone), and they
 * are never answered (two robots would answer each other forever). The signs, after RFC 3834
 * and what common mail programs send:
 *
 * - Auto-Submitted: anything but "no";
 * - Precedence: bulk, junk, list or auto_reply;
 * - X-Autoreply, X-Autorespond, X-Auto-Reply (any value); not X-Auto-Response-Suppress, which
 *   Outlook puts on ordinary mail too;
 * - a delivery report (Content-Type multipart/report), a From of MAILER-DAEMON / postmaster, or
 *   a null sender (Return-Path: <>, or MAIL FROM:<> on the SMTP listener: see ingest.ts);
 * - a mailing list's header (List-Id, List-Unsubscribe, any List-*: RFC 3834 section 2);
 * - a subject starting "Out of office", "Automatic reply", "Auto:", "Autoreply", "Vacation",
 *   "Away from", "Absence", "Abwesenheit", "Undeliverable", "Delivery Status Notification".
 */

const SUBJECT = /^(out of (the )?office|automatic reply|auto[- ]?reply|auto:|autoresponse|vacation|away from|absence|abwesenheit|undeliver|delivery status notification|mail delivery (failed|failure))/i;

/** Why a message is automatic, or null; headers by lowercase name. */
export function detectAutoReply(headers: ReadonlyMap<string, string>, subject: string, from: string): string | null {
  const auto = headers.get('auto-submitted')?.trim().toLowerCase();
  if (auto && !auto.startsWith('no')) return `Auto-Submitted: ${auto}`;
  const precedence = headers.get('precedence')?.trim().toLowerCase();
  if (precedence && /^(bulk|junk|list|auto_reply)/.test(precedence)) return `Precedence: ${precedence}`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-auto-reply']) if (headers.has(h)) return `${h} header`;
  if (/multipart\/report/i.test(headers.get('content-type') ?? '')) return 'a delivery report (multipart/report)';
  if (/^(mailer-daemon|postmaster)@/i.test(from)) return `From ${from.split('@')[0]}`;
  if (/^<\s*>$/.test(headers.get('return-path')?.trim() ?? '')) return 'a null sender (Return-Path: <>)';
  const list = [...headers.keys()].find((h) => h.startsWith('list-'));
  if (list) return `a mailing list's ${list.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())} header`;
  const s = subject.replace(/^(re|aw|fwd?|wg)\s*:\s*/i, '');
  if (SUBJECT.test(s)) return `subject "${subject.slice(0, 80)}"`;
  return null;
}
