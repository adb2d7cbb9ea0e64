/**
 * Places as the pages write them ("Chicago, IL", "Toronto, Ontario, CA", "Ottawa, Canada") read
 * into city, region, country (ISO 3166 alpha-2) and the IANA time zone the edition ran in.
 *
 * The tables hold US states, Canadian provinces, countries with a single zone, and a few cities
 * named without a region. A place the tables do not know gets no zone; the caller notes that.
 */

type Row = readonly [code: string, name: string, zone: string];

const US: readonly Row[] = [
  ['AL', 'Alabama', 'America/Chicago'], ['AK', 'Alaska', 'America/Anchorage'],
  ['AZ', 'Arizona', 'America/Phoenix'], ['AR', 'Arkansas', 'America/Chicago'],
  ['CA', 'California', 'America/Los_Angeles'], ['CO', 'Colorado', 'America/Denver'],
  ['CT', 'Connecticut', 'America/New_York'], ['DE', 'Delaware', 'America/New_York'],
  ['DC', 'District of Columbia', 'America/New_York'], ['FL', 'Florida', 'America/New_York'],
  ['GA', 'Georgia', 'America/New_York'], ['HI', 'Hawaii', 'Pacific/Honolulu'],
  ['ID', 'Idaho', 'America/Boise'], ['IL', 'Illinois', 'America/Chicago'],
  ['IN', 'Indiana', 'America/Indiana/Indianapolis'], ['IA', 'Iowa', 'America/Chicago'],
  ['KS', 'Kansas', 'America/Chicago'], ['KY', 'Kentucky', 'America/New_York'],
  ['LA', 'Louisiana', 'America/Chicago'], ['ME', 'Maine', 'America/New_York'],
  ['MD', 'Maryland', 'America/New_York'], ['MA', 'Massachusetts', 'America/New_York'],
  ['MI', 'Michigan', 'America/Detroit'], ['MN', 'Minnesota', 'America/Chicago'],
  ['MS', 'Mississippi', 'America/Chicago'], ['MO', 'Missouri', 'America/Chicago'],
  ['MT', 'Montana', 'America/Denver'], ['NE', 'Nebraska', 'America/Chicago'],
  ['NV', 'Nevada', 'America/Los_Angeles'], ['NH', 'New Hampshire', 'America/New_York'],
  ['NJ', 'New Jersey', 'America/New_York'], ['NM', 'New Mexico', 'America/Denver'],
  ['NY', 'New York', 'America/New_York'], ['NC', 'North Carolina', 'America/New_York'],
  ['ND', 'North Dakota', 'America/Chicago'], ['OH', 'Ohio', 'America/New_York'],
  ['OK', 'Oklahoma', 'America/Chicago'], ['OR', 'Oregon', 'America/Los_Angeles'],
  ['PA', 'Pennsylvania', 'America/New_York'], ['RI', 'Rhode Island', 'America/New_York'],
  ['SC', 'South Carolina', 'America/New_York'], ['SD', 'South Dakota', 'America/Chicago'],
  ['TN', 'Tennessee', 'America/Chicago'], ['TX', 'Texas', 'America/Chicago'],
  ['UT', 'Utah', 'America/Denver'], ['VT', 'Vermont', 'America/New_York'],
  ['VA', 'Virginia', 'America/New_York'], ['WA', 'Washington', 'America/Los_Angeles'],
  ['WV', 'West Virginia', 'America/New_York'], ['WI', 'Wisconsin', 'America/Chicago'],
  ['WY', 'Wyoming', 'America/Denver'],
];

const CANADA: readonly Row[] = [
  ['AB', 'Alberta', 'America/Edmonton'], ['BC', 'British Columbia', 'America/Vancouver'],
  ['MB', 'Manitoba', 'America/Winnipeg'], ['NB', 'New Brunswick', 'America/Moncton'],
  ['NL', 'Newfoundland and Labrador', 'America/St_Johns'], ['NS', 'Nova Scotia', 'America/Halifax'],
  ['ON', 'Ontario', 'America/Toronto'], ['PE', 'Prince Edward Island', 'America/Halifax'],
  ['QC', 'Quebec', 'America/Toronto'], ['SK', 'Saskatchewan', 'America/Regina'],
  ['NT', 'Northwest Territories', 'America/Yellowknife'], ['NU', 'Nunavut', 'America/Iqaluit'],
  ['YT', 'Yukon', 'America/Whitehorse'],
];

/** Countries; the zone is empty when the country spans several. */
const COUNTRIES: readonly (readonly [code: string, names: readonly string[], zone: string])[] = [
  ['US', ['United States', 'USA', 'U.S.A.', 'U.S.', 'United States of America'], ''],
  ['CA', ['Canada'], ''],
  ['AU', ['Australia'], ''],
  ['BR', ['Brazil'], ''],
  ['RU', ['Russia'], ''],
  ['MX', ['Mexico'], ''],
  ['GB', ['United Kingdom', 'UK', 'U.K.', 'England', 'Scotland', 'Wales'], 'Europe/London'],
  ['IE', ['Ireland'], 'Europe/Dublin'],
  ['FR', ['France'], 'Europe/Paris'],
  ['DE', ['Germany'], 'Europe/Berlin'],
  ['NL', ['Netherlands', 'The Netherlands'], 'Europe/Amsterdam'],
  ['BE', ['Belgium'], 'Europe/Brussels'],
  ['CH', ['Switzerland'], 'Europe/Zurich'],
  ['AT', ['Austria'], 'Europe/Vienna'],
  ['IT', ['Italy'], 'Europe/Rome'],
  ['ES', ['Spain'], 'Europe/Madrid'],
  ['PT', ['Portugal'], 'Europe/Lisbon'],
  ['CZ', ['Czech Republic', 'Czechia'], 'Europe/Prague'],
  ['PL', ['Poland'], 'Europe/Warsaw'],
  ['SE', ['Sweden'], 'Europe/Stockholm'],
  ['NO', ['Norway'], 'Europe/Oslo'],
  ['DK', ['Denmark'], 'Europe/Copenhagen'],
  ['FI', ['Finland'], 'Europe/Helsinki'],
  ['HU', ['Hungary'], 'Europe/Budapest'],
  ['GR', ['Greece'], 'Europe/Athens'],
  ['IL', ['Israel'], 'Asia/Jerusalem'],
  ['JP', ['Japan'], 'Asia/Tokyo'],
  ['KR', ['Korea', 'South Korea'], 'Asia/Seoul'],
  ['CN', ['China'], 'Asia/Shanghai'],
  ['TW', ['Taiwan'], 'Asia/Taipei'],
  ['IN', ['India'], 'Asia/Kolkata'],
  ['SG', ['Singapore'], 'Asia/Singapore'],
  ['NZ', ['New Zealand'], 'Pacific/Auckland'],
  ['HK', ['Hong Kong'], 'Asia/Hong_Kong'],
];

/** Cities a page may name without their region. */
const CITIES: readonly (readonly [name: string, region: string, country: string, zone: string])[] = [
  ['Ottawa', 'ON', 'CA', 'America/Toronto'],
  ['Toronto', 'ON', 'CA', 'America/Toronto'],
  ['Montreal', 'QC', 'CA', 'America/Toronto'],
  ['Montréal', 'QC', 'CA', 'America/Toronto'],
  ['Quebec City', 'QC', 'CA', 'America/Toronto'],
  ['Vancouver', 'BC', 'CA', 'America/Vancouver'],
  ['Calgary', 'AB', 'CA', 'America/Edmonton'],
  ['Sydney', 'NSW', 'AU', 'Australia/Sydney'],
  ['Melbourne', 'VIC', 'AU', 'Australia/Melbourne'],
  ['Brisbane', 'QLD', 'AU', 'Australia/Brisbane'],
  ['Perth', 'WA', 'AU', 'Australia/Perth'],
];

export interface Place {
  city?: string;
  region?: string;
  /** ISO 3166 alpha-2. */
  country?: string;
  timeZone?: string;
  /** The tables recognised the region or the country. */
  known: boolean;
}

const norm = (s: string): string => s.trim().replace(/\.$/, '').toLowerCase();

function findRegion(rows: readonly Row[], part: string): Row | undefined {
  const p = norm(part);
  return rows.find(([code, name]) => code.toLowerCase() === p || name.toLowerCase() === p);
}

function findCountry(part: string): (typeof COUNTRIES)[number] | undefined {
  const p = norm(part);
  return COUNTRIES.find(
    ([code, names]) => code.toLowerCase() === p || names.some((n) => n.toLowerCase() === p),
  );
}

function findCity(part: string): (typeof CITIES)[number] | undefined {
  const p = norm(part);
  return CITIES.find(([name]) => name.toLowerCase() === p);
}

function regionIn(country: string, part: string): Row | undefined {
  if (country === 'US') return findRegion(US, part);
  if (country === 'CA') return findRegion(CANADA, part);
  return undefined;
}

/** Reads "City, Region[, Country]" / "City, Country" / "City". */
export function parsePlace(text: string): Place {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const [city, second, third] = parts;
  const out: Place = { known: false };
  if (city !== undefined) out.city = city;
  const cityRow = city !== undefined ? findCity(city) : undefined;

  if (third !== undefined && second !== undefined) {
    const country = findCountry(third);
    out.region = second;
    if (!country) return out;
    out.country = country[0];
    out.known = true;
    const region = regionIn(country[0], second);
    const zone = region?.[2] || country[2] || (cityRow?.[2] === country[0] ? cityRow[3] : '');
    if (zone) out.timeZone = zone;
    return out;
  }
  if (second !== undefined) {
    const us = findRegion(US, second);
    const ca = findRegion(CANADA, second);
    const region = cityRow?.[2] === 'CA' && ca ? ca : (us ?? ca);
    if (region) {
      out.region = second;
      out.country = region === us ? 'US' : 'CA';
      out.timeZone = region[2];
      out.known = true;
      return out;
    }
    const country = findCountry(second);
    if (country) {
      out.country = country[0];
      out.known = true;
      if (cityRow && cityRow[2] === country[0]) {
        out.region = cityRow[1];
        out.timeZone = cityRow[3];
      } else if (country[2]) {
        out.timeZone = country[2];
      }
      return out;
    }
    out.region = second;
    return out;
  }
  if (cityRow) {
    return { city: cityRow[0], region: cityRow[1], country: cityRow[2], timeZone: cityRow[3], known: true };
  }
  if (city !== undefined) {
    const country = findCountry(city);
    if (country) {
      const only: Place = { country: country[0], known: true };
      if (country[2]) only.timeZone = country[2];
      return only;
    }
  }
  return out;
}

/** A short line that reads as a known place ("Portland, OR"), for pages without field labels. */
export function looksLikePlace(text: string): boolean {
  if (text.length > 60 || /\d/.test(text)) return false;
  return parsePlace(text).known;
}
