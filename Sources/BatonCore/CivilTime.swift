// Dates, RFC 3339 timestamps, digits and ids are the domain's vocabulary too: whoever uses the
// core uses them, from the one leaf module that PostgreSQL's codecs share.
@_exported import CivilTime
