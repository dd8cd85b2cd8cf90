// Thunderbird's ical.js reads an .ics from stdin with only the VTIMEZONEs it carries and prints
// one JSON line per occurrence until 2032: {"uid", "start", "end"} in UTC (ISO 8601).
// A single event's end is its DTEND, as Thunderbird shows it; a series' ends are ical.js's own.
import ICAL from "ical.js";
import fs from "fs";

const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(0, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const until = ICAL.Time.fromJSDate(new Date(Date.UTC(2032, 0, 1)), true);
for (const component of calendar.getAllSubcomponents("vevent")) {
  if ((component.getFirstPropertyValue("status") || "").toUpperCase() === "CANCELLED") continue;
  const event = new ICAL.Event(component);
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.compare(until) < 0; next = iterator.next()) {
    const found = event.isRecurring()
      ? event.getOccurrenceDetails(next)
      : { startDate: event.startDate, endDate: event.endDate };
    const line = {
      uid: event.uid,
      start: found.startDate.toJSDate().toISOString(),
      end: found.endDate.toJSDate().toISOString(),
    };
    console.log(JSON.stringify(line));
    if (!event.isRecurring()) break;
  }
}
