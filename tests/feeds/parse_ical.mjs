// Parses an .ics file with Mozilla's ical.js (Thunderbird's parser) and prints what it understood
// as JSON, for the Python tests to compare: usage `node parse_ical.mjs FILE FROM TO` (ISO dates).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, from, to] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const start = ICAL.Time.fromJSDate(new Date(from), true);
const end = ICAL.Time.fromJSDate(new Date(to), true);

function moment(time) {
  return time.isDate ? time.toString() : new Date(time.toUnixTime() * 1000).toISOString();
}

const vevents = root.getAllSubcomponents("vevent");
const masters = new Map();
const events = [];
for (const vevent of vevents) {
  const event = new ICAL.Event(vevent);
  events.push({
    uid: event.uid, summary: event.summary, description: event.description, location: event.location,
    status: vevent.getFirstPropertyValue("status"), sequence: event.sequence,
    klass: vevent.getFirstPropertyValue("class"), start: moment(event.startDate),
    recurrenceId: event.recurrenceId ? moment(event.recurrenceId) : null,
    attendees: vevent.getAllProperties("attendee").map((p) => p.getParameter("cn")),
  });
  if (!event.isRecurrenceException()) masters.set(event.uid, event);
}
for (const vevent of vevents) {
  const event = new ICAL.Event(vevent);
  if (event.isRecurrenceException()) masters.get(event.uid).relateException(event);
}
const occurrences = [];
for (const event of masters.values()) {
  if (!event.isRecurring()) {
    if (event.endDate.compare(start) > 0 && event.startDate.compare(end) < 0) {
      occurrences.push({ uid: event.uid, start: moment(event.startDate), end: moment(event.endDate) });
    }
    continue;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    if (details.startDate.compare(end) >= 0 && next.compare(end) >= 0) break;
    if (details.endDate.compare(start) > 0 && details.startDate.compare(end) < 0) {
      occurrences.push({ uid: event.uid, start: moment(details.startDate), end: moment(details.endDate) });
    }
  }
}
const calendar = { name: root.getFirstPropertyValue("name"), method: root.getFirstPropertyValue("method"),
                   calname: root.getFirstPropertyValue("x-wr-calname") };
process.stdout.write(JSON.stringify({ calendar, events, occurrences }));
