# repatrack — English. Every key here must exist in ar/main.ftl too (a test checks).

## Frame
brand = repatrack
skip-to-content = Skip to content
nav-main = Main
nav-dashboard = Dashboard
nav-posts = Posts
nav-admin = Admin
sign-out = Sign out
footer-tagline = repatrack · a record of border crossings and returns
language-switch = Language
language-switch-button = Change
scope-all-posts = All posts
scope-no-posts = No posts assigned
breadcrumb = Breadcrumb

## Roles
role-admin = Administrator
role-supervisor = Supervisor
role-officer = Case officer
role-auditor = Auditor

## Counts
minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
fields-to-correct = { $count ->
    [one] Please correct this field
   *[other] Please correct these { $count } fields
}

## Dates
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
format-date = { $day } { $month } { $year }
format-datetime = { $date }, { $time } ({ $zone })
never = never

## Error pages
error-status = Error { $status }
error-404-title = Page not found
error-404-message = There is no page at this address, or it is not in your posts.
error-403-title = Not allowed
error-403-message = Your role does not allow this action. Ask a supervisor if you need it.
error-422-title = The request could not be read
error-422-message = Some of what was sent could not be understood. Go back, check the form and try again.
error-500-title = Something went wrong on our side
error-500-message = Nothing you did caused this. Try again in a moment; if it keeps happening, give this reference to your administrator.
error-reference = Reference:
error-back = Back to the start page

## Sign-in
login-title = Sign in
login-username = User name
login-password = Password
login-submit = Sign in
login-forgot = Forgotten your password? Ask your administrator to reset it.
login-invalid = Invalid username or password
login-locked-user = Too many failed sign-ins for this user name. Wait { $wait }, then try again.
login-locked-network = Too many failed sign-ins from this network. Wait { $wait }, then try again.

## Dashboard
dashboard-title = Dashboard
dashboard-signed-in-as = Signed in as
dashboard-your-posts = Your border posts
dashboard-no-posts = No border post is assigned to you yet. An administrator assigns posts.

## Border posts
posts-title = Border posts
posts-new = New border post
posts-none = No border post is in your scope.
posts-caption = Border posts in your scope
col-code = Code
col-name = Name
col-name-ar = Arabic name
col-crossing = Crossing
col-governorate = Governorate
col-timezone = Time zone
col-state = State
post-open = Open
post-closed = Closed to new records
post-edit = Edit
post-country = Country
post-neighbour-country = Neighbouring country
post-counterpart = Post on the other side
post-governorate = Governorate
post-timezone = Time zone
post-state = State
post-form-new-title = New border post
post-form-edit-title = Edit border post
field-code = Code
hint-code = 2 to 16 capital letters, digits or dashes, like QAIM. It cannot be changed later.
hint-code-fixed = The code cannot change: record references are built from it.
field-name-en = Name in English
field-name-ar = Name in Arabic
field-country = Country
hint-country = Two-letter ISO code of the post's own country, like IQ.
field-neighbour-country = Neighbouring country
hint-neighbour-country = Two-letter ISO code of the country across the border, like SY.
field-governorate = Governorate
field-counterpart-name = Post on the other side
hint-counterpart-name = For Al-Qaim: Albu Kamal.
field-timezone = Time zone
hint-timezone = Times at this post are entered and shown in this zone. Leave empty for Asia/Baghdad.
field-post-active = Open: takes new records
post-create = Create border post
save-changes = Save changes
post-conflict-title = Someone changed this border post meanwhile
record-conflict-explain = Their values are below. Your changes are still in the form: check them against these and save again to replace them.

## Users
users-title = Users
users-new = New user
users-caption = Every account
col-username = User name
col-display-name = Name
col-role = Role
col-posts = Posts
col-last-login = Last sign-in
user-active = Active
user-deactivated = Deactivated
user-form-new-title = New user
user-form-edit-title = User
field-username = User name
hint-username = 3 to 40 letters, digits, dots, dashes or underscores, like sara.ali. Used to sign in.
field-display-name = Name shown to others
hint-display-name = In any script, up to 100 characters. Empty: the user name.
field-role = Role
legend-posts = Border posts this user may see and work on
field-all-posts = All posts, including future ones
field-user-active = Active: may sign in (unticking signs the user out everywhere)
field-first-password = First password
hint-first-password = 15 to 128 characters; a few ordinary words in a row work well. Give it to the user in person.
user-create = Create user
reset-password-title = Reset password
field-new-password = New password
hint-reset-password = 15 to 128 characters. Resetting signs the user out everywhere.
reset-password-button = Reset password
notice-saved = Saved.
notice-password-reset = Password reset. The user was signed out everywhere.
user-conflict-title = Someone changed this account meanwhile
user-conflict-reset-explain = The password was not set. The account as it stands now is below and in the form: check it, then set the password again if it is still needed.

## Own account
account-title = Your account
account-username = User name
account-change-password = Change your password
field-password = Password
field-posts = Border posts
field-current-password = Current password
hint-new-password = 15 to 128 characters; a few ordinary words in a row work well. Your other sessions will be signed out.
change-password-button = Change password
account-sessions = Where you are signed in
col-signed-in = Signed in
col-last-used = Last used
col-address = Address
col-browser = Browser
this-browser = (this browser)
notice-password-changed = Your password was changed. Your other sessions were signed out.
account-preferences = Language and numbers
field-language = Language
field-digits = Digits
digits-western = Western (0123456789)
digits-arabic-indic = Arabic-Indic (٠١٢٣٤٥٦٧٨٩)
save-preferences = Save
notice-preferences-saved = Your preferences were saved.

## Messages beside fields (keys from the domain layer, prefixed with error-)
error-required = Required.
error-too-long = At most { $max } characters.
error-post-code-invalid = Use 2 to 16 capital letters, digits or dashes, like QAIM.
error-post-code-taken = A border post with this code already exists.
error-post-unknown = There is no border post with code { $codes }.
error-country-invalid = Use the two-letter ISO country code, like IQ or SY.
error-timezone-invalid = Use a time zone name like Asia/Baghdad.
error-neighbour-same-as-country = The neighbouring country must differ from the post's own country.
error-username-invalid = Use 3 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit, like sara.ali.
error-username-taken = This user name is already taken.
error-display-name-invalid = Use letters, not control characters.
error-role-invalid = Choose one of the roles.
error-password-too-short = Use at least 15 characters. A few ordinary words in a row make a good password.
error-password-too-long = Use at most 128 characters.
error-password-common = This password is too common or too easy to guess. Choose another.
error-own-account = You cannot change your own role or deactivate yourself. Ask another administrator.
error-current-password-wrong = This is not your current password.
error-locked = Too many wrong tries. Wait { $wait }, then try again.

## Audit trail
nav-audit = Audit
audit-title = Audit trail
audit-caption = Recorded changes and events
audit-verify-link = Verify the chain
export-csv = Export CSV
audit-times-utc = Times are UTC.
audit-none = Nothing recorded matches.
audit-reason = Reason
col-seq = No.
col-when = When
col-who = Who
col-action = What happened
col-record = Record
col-what-changed = Details
filter-any = Any
filter-entity = Kind of record
filter-entity-id = Record number
filter-from = From (day)
filter-to = To (day)
filter-apply = Show
pager = Pages
pager-newest = Newest
pager-older = Older entries
audit-verify-title = Verify the audit trail
audit-intact = The chain is intact: every entry matches its hash and follows the one before.
audit-broken = The chain is broken at entry { $seq }: it was changed, removed or reordered outside repatrack.
audit-see-broken = Show the entries around it
audit-entries = Entries
audit-head = Latest hash
audit-verify-explain = Each entry's hash covers the one before it, so changing, removing or reordering any entry breaks every hash after it. Keep a copy of the latest hash elsewhere: it proves the history up to now.
history-title = History of
error-date-invalid = Use a date like 2024-12-18.
action-post-create = Border post created
action-post-update = Border post changed
action-user-create = User created
action-user-update = User changed
action-user-password-reset = Password reset by an administrator
action-account-password-change = Own password changed
action-account-preferences = Language or digits changed
action-auth-login = Signed in
action-auth-login-failed = Failed sign-in
action-auth-lockout = User name locked after failed sign-ins
action-auth-logout = Signed out
action-access-denied = Request refused
history-link = History
action-export = Data exported
export-csv-bom = CSV for spreadsheet programs
checkpoints-title = Signed checkpoints
checkpoints-explain = A checkpoint signs the latest hash with this installation's key, at least every 1,000 entries and every hour. Copy them somewhere this server cannot reach: each proves the history up to it.
checkpoints-count = Checkpoints
checkpoints-key = Public key
checkpoints-signature = Signature
checkpoints-valid = valid
checkpoints-invalid = NOT valid
error-direction-invalid = Choose inbound or outbound.
error-category-invalid = Choose military or civilian.
error-number-invalid = Use a whole number, like 120.
error-headcount-too-small = At least 1.
error-number-too-large = At most { $max }.
error-datetime-invalid = Use a date and time like 2024-12-19T14:30.
error-time-nonexistent = That time does not exist in the post's time zone (the clocks skip it).
error-time-in-future = Cannot be more than 10 minutes in the future.
error-time-too-early = Cannot be before 1950: check the year.
error-officers-exceed-headcount = Cannot be more than the headcount ({ $headcount }).
error-wounded-exceed-headcount = Cannot be more than the headcount ({ $headcount }).

## Crossing events
nav-events = Events
events-title = Crossing events
event-title = Event
event-new-title = Record an event
event-edit-title = Correct an event
event-times-in = times at this post, zone
event-conflict-title = Someone saved this event while you were editing
event-conflict-explain = Their values are below. Your changes are still in the form: check them against these and save again to replace them.
field-occurred-at = Date and time
hint-occurred-at = At the post, in its own time zone: the day, then the hour and minutes (24-hour clock).
field-direction = Direction
field-category = Category
field-headcount = Headcount
field-officers = Officers among them
field-wounded = Wounded among them
hint-optional-count = Optional. Leave empty if not known.
field-source = Source
hint-source = Who reported the crossing, like the gate log or the duty officer.
field-reference = Document reference
field-notes = Notes
field-reason = Reason
field-post = Border post
field-void-reason = Reason for voiding
hint-reason-verified = Required: this event is verified, so say why it changes.
hint-reason-optional = Optional while the event is pending.
event-record = Record event
event-status = Status
event-day-closed = This event's day is closed: it cannot change until a supervisor reopens the day.
event-recorded = Recorded by
event-verified = Verified by
event-voided = Voided by
event-verify = Verify
event-void = Void this event
event-edit = Correct
direction-inbound = Inbound
direction-outbound = Outbound
category-military = Military
category-civilian = Civilian
category-plural-military = military
category-plural-civilian = civilians
status-pending = Pending
status-verified = Verified
status-voided = Void
filter-search = Search
events-none = No events.
events-count = { $count ->
    [one] One event
   *[other] { $count } events
}
events-count-more = More than { $count } events
col-reference = Reference
post-balances = Present now
col-present-now = Present now
col-total-in = Total in
col-total-out = Total out
events-pending = { $count ->
    [one] One event awaits verification
   *[other] { $count } events await verification
}
events-none-pending = Nothing awaits verification.
post-days = Day by day
col-day = Day
col-day-state = State
col-in = In
col-out = Out
col-present-end = Present at end
day-closed = Closed
day-open = Open
day-close = Close day
day-reopen = Reopen
post-latest-events = Latest events
events-all-of-post = All events of this post
chart-title = People in, out and present per day
chart-inbound = In
chart-outbound = Out
chart-present = Present
format-datetime-post = { $date } { $time } ({ $zone })
format-day-month = { $day } { $month }
action-event-create = Event recorded
action-event-update = Event corrected
action-event-verify = Event verified
action-event-void = Event voided
action-day-close = Day closed
action-day-reopen = Day reopened
error-balance-shortfall = On { $day } at { $post }, { $leaving } { $category } would leave but only { $present } are present.
error-day-closed = { $day } is closed at { $post }: a supervisor must reopen it first.
error-form-expired = This form had expired; check it and submit it again.
error-post-inactive = This border post is closed and takes no new records.
error-reason-required = Say why a verified event is corrected.
error-event-not-pending = Only a pending event can be verified.
error-event-already-voided = This event is already void.
error-day-in-future = A day can be closed once it has begun.
error-day-already-closed = This day is already closed.
error-day-has-pending = { $count ->
    [one] One event of this day awaits verification: verify or void it first.
   *[other] { $count } events of this day await verification: verify or void them first.
}
error-day-not-closed = This day is not closed.
error-event-changed-meanwhile = Someone changed this event meanwhile; here it is as it stands now.
field-source-reference = Document reference
field-event-reference = Event reference
field-status = Status
field-closed = Day closed
value-yes = yes
value-no = no
post-facts = About this post
error-timezone-fixed = This post has events; its time zone can no longer change.

## Agreements
nav-agreements = Agreements
agreements-title = Coordination agreements
agreement-new-title = New agreement
agreement-edit-title = Change an agreement
agreements-none = No agreement covers your posts yet.
agreements-none-match = No agreement matches these choices.
agreement-window = In effect
agreement-progress = Returned under it
agreement-from = from { $day }
agreement-status-draft = Draft
agreement-status-pending-activation = Awaiting a second supervisor
agreement-status-active = In force
agreement-status-suspended = Suspended
agreement-status-concluded = Concluded
agreement-request-active = Put in force (a second supervisor confirms)
field-title = Title
field-parties = Parties
field-signed-on = Signed on
field-effective-from = In effect from
field-effective-to = In effect until
hint-effective-to = Optional: leave empty while no end is agreed.
field-planned-headcount = Planned returns
field-covered-posts = Border posts covered
field-terms = Terms
field-clauses = Clauses
hint-clauses = One clause per row; rows left empty are ignored. Save to get more empty rows.
field-clause-kind = Kind of clause
field-clause-text = Wording of the clause
field-agreement-reference = Agreement reference
agreement-create = Create the agreement
agreement-conflict-title = Someone saved this agreement while you were editing
agreement-conflict-explain = Your changes are still in the form. Open the agreement to see the newer version, then make your changes again.
agreement-edit = Change
agreement-proposed-by = asked by
agreement-confirm = Confirm: put in force
agreement-change-status = Change the status
agreement-apply-status = Change status
agreement-returned = Returned
agreement-at-your-posts = at your posts
agreement-returned-in-your-posts = Returned at your posts
agreement-remaining = Still to return
agreement-no-clauses = No clauses recorded.
clause-no-reprisals = No reprisals
clause-amnesty = Amnesty
clause-safe-passage = Safe passage
clause-medical-care = Medical care
clause-third-party-access = Third-party access
clause-other = Other
finding-complied = Complied with
finding-alleged-breach = Alleged breach
finding-confirmed-breach = Confirmed breach
observation-new = Record an observation
field-clause = Clause
field-finding = Finding
field-observed-on = Observed on
field-observation = What was observed
observation-record = Record observation
agreement-timeline = Status changes
agreement-returns = Returns made under it
field-agreement = Agreement
hint-agreement = For a return made under a coordination agreement in force at this post.
agreement-none = None
flag-no-agreement = No agreement cited
returns-uncited = { $count ->
    [one] One military return cites no agreement
   *[other] { $count } military returns cite no agreement
}
action-agreement-create = Agreement created
action-agreement-update = Agreement changed
action-agreement-status = Agreement status changed
action-agreement-confirm = Agreement put in force
action-agreement-observation = Compliance observation recorded
error-effective-to-before-from = Cannot end before it takes effect.
error-planned-invalid = Use a whole number from 1 to 1,000,000, or leave it empty.
error-posts-required = Choose at least one border post.
error-clause-kind-invalid = Choose the kind of each clause.
error-agreement-reference-taken = An agreement with this reference already exists.
error-agreement-concluded = A concluded agreement no longer changes.
error-clause-observed = A clause with observations cannot be removed.
error-agreement-transition = This agreement cannot move to that status from where it stands ({ $status }).
error-agreement-not-pending = Only an agreement awaiting activation can be confirmed.
error-finding-invalid = Choose what was found.
error-clause-unknown = Choose one of this agreement's clauses.
error-agreement-changed-meanwhile = Someone changed this agreement meanwhile; here it is as it stands now.
error-agreement-unknown = Choose one of the listed agreements.
error-agreement-inbound = Only a return (outbound) is made under an agreement.
error-agreement-post-not-covered = Agreement { $agreement } does not cover { $post }.
error-agreement-before-window = Agreement { $agreement } takes effect on { $from }, after this return ({ $day }).
error-agreement-after-window = Agreement { $agreement } ended on { $to }, before this return ({ $day }).
error-agreement-not-active = Agreement { $agreement } is not in force ({ $status }).

## Reports
nav-reports = Reports
report-headcount-title = Headcount report
report-totals = Totals
error-period-reversed = The first day must come before the last.
error-period-too-long = At most { $count } days at a time.
report-totals-title = Totals by week or month
reports-see-totals = Totals by week or month
reports-see-headcount = Headcount report by day
field-by = Period
totals-by-week = Week (Monday to Sunday)
totals-by-month = Month
totals-col-period = Period
totals-week-of = Week of { $date }
totals-month-of = { $month } { $year }
totals-days-counted = { $from } to { $to } only
totals-clipped-note = The first and last periods count only the chosen days, { $from } to { $to }.
totals-posts-counted = Summed over the border posts: { $posts }.
chart-title-periods = People in and out per period, and present at the end of each
error-by-unknown = Choose week or month.
error-period-too-long-years = { $count ->
    [one] At most one year at a time.
   *[other] At most { $count } years at a time.
}
error-agreement-citations-outside = Returns already made under this agreement would fall outside it.
events-pending-more = More than { $count } events await verification
returns-uncited-more = More than { $count } military returns cite no agreement

# Why an action is not offered (domain::policy::Denied)
denied-not-found = Not found.
denied-role = Your role does not allow this.
denied-posts-outside-scope = It covers border posts outside yours; only a supervisor over all of them may change it.
denied-voided = This event is void.
denied-not-theirs = Case officers change only their own pending entries.
denied-verified = Only a supervisor corrects a verified event.
denied-recorded-it = You recorded this event; another supervisor must verify it.
denied-changed-it = You made this event's latest change; another supervisor must verify it.
denied-proposed-it = You asked for this activation; another supervisor must confirm it.
denied-edited-it = You made this agreement's latest edit; another supervisor must confirm it.
status-corrected-pending = Corrected, awaits verification

# Verified and pending figures (domain::figures)
figure-pending-note = verified · { $all } including { $pending } pending
figure-pending-note-out = verified · { $all } after { $pending } pending departures
figure-pending-mark = +{ $pending } pending
figure-pending-mark-out = −{ $pending } pending
figure-line-verified = Present, verified
figure-line-all = Present, including pending entries
day-verified = verified
day-has-pending = awaiting verification
figure-bar-pending = awaiting verification (light)
nav-queue = Work queue

# The work queue (/queue) and the messages after actions
queue-title = Work queue
queue-kind = Kind
queue-events = Events awaiting verification
queue-agreements = Agreements awaiting your confirmation
queue-days = Days ready to close
queue-events-none = No event awaits verification.
queue-agreements-none = No agreement awaits your confirmation.
queue-days-none = No open day with events.
queue-select = Verify
queue-what = Correction, or why not offered
queue-verify-selected = Verify the ticked events
queue-next = More events
queue-days-ready = { $count ->
    [one] 1 day ready
   *[other] { $count } days ready
}
queue-days-blocked = { $day } still holds events awaiting verification: closing stops before it.
queue-close-up-to = Close all ready days up to
queue-close = Close days
queue-you-recorded = you recorded it
queue-you-changed = you made its latest change
queue-you-proposed = you asked for it
queue-you-edited = you made its latest edit
queue-not-yours = its posts are not all yours
notice-event-recorded = { $reference } recorded. It awaits verification.
notice-record-another = Record another at this post
notice-event-corrected = { $reference } corrected. It awaits verification.
notice-event-verified = { $reference } verified.
notice-event-voided = { $reference } voided.
notice-day-closed = { $day } closed at { $post }.
notice-day-reopened = { $day } reopened at { $post }.
notice-days-closed = { $count ->
    [one] 1 day closed at { $post }, up to { $day }.
   *[other] { $count } days closed at { $post }, up to { $day }.
}
notice-batch-verified = { $count ->
    [one] 1 event verified.
   *[other] { $count } events verified.
}
notice-batch-skipped = { $count ->
    [one] 1 skipped: { $reasons }.
   *[other] { $count } skipped: { $reasons }.
}
notice-batch-none = No event was ticked.
notice-agreement-created = { $reference } saved as a draft.
notice-agreement-saved = { $reference } saved.
notice-agreement-status = { $reference } is now: { $status }.
notice-agreement-pending = { $reference } awaits a second supervisor's confirmation.
notice-agreement-confirmed = { $reference } is in force.
notice-observation = Observation recorded for { $reference }.
skipped-changed-meanwhile = changed meanwhile
skipped-not-verifiable = no longer pending, or its day is closed
skipped-not-allowed = not yours to verify
error-days-none-open = No open day with events up to { $day }.
action-refused = This was not done
choose = Choose…
error-agreement-not-observable = Compliance is observed once the agreement has been in force.
# Before → after, pointing the way the language reads.
arrow-to = →

# Countries by ISO 3166-1 alpha-2 code (generated once from the ISO list; codes are what is stored).
country-AD = Andorra
country-AE = United Arab Emirates
country-AF = Afghanistan
country-AG = Antigua and Barbuda
country-AI = Anguilla
country-AL = Albania
country-AM = Armenia
country-AO = Angola
country-AQ = Antarctica
country-AR = Argentina
country-AS = American Samoa
country-AT = Austria
country-AU = Australia
country-AW = Aruba
country-AX = Åland Islands
country-AZ = Azerbaijan
country-BA = Bosnia and Herzegovina
country-BB = Barbados
country-BD = Bangladesh
country-BE = Belgium
country-BF = Burkina Faso
country-BG = Bulgaria
country-BH = Bahrain
country-BI = Burundi
country-BJ = Benin
country-BL = Saint Barthélemy
country-BM = Bermuda
country-BN = Brunei Darussalam
country-BO = Bolivia
country-BQ = Bonaire, Sint Eustatius and Saba
country-BR = Brazil
country-BS = Bahamas
country-BT = Bhutan
country-BV = Bouvet Island
country-BW = Botswana
country-BY = Belarus
country-BZ = Belize
country-CA = Canada
country-CC = Cocos (Keeling) Islands
country-CD = Congo, The Democratic Republic of the
country-CF = Central African Republic
country-CG = Congo
country-CH = Switzerland
country-CI = Côte d'Ivoire
country-CK = Cook Islands
country-CL = Chile
country-CM = Cameroon
country-CN = China
country-CO = Colombia
country-CR = Costa Rica
country-CU = Cuba
country-CV = Cabo Verde
country-CW = Curaçao
country-CX = Christmas Island
country-CY = Cyprus
country-CZ = Czechia
country-DE = Germany
country-DJ = Djibouti
country-DK = Denmark
country-DM = Dominica
country-DO = Dominican Republic
country-DZ = Algeria
country-EC = Ecuador
country-EE = Estonia
country-EG = Egypt
country-EH = Western Sahara
country-ER = Eritrea
country-ES = Spain
country-ET = Ethiopia
country-FI = Finland
country-FJ = Fiji
country-FK = Falkland Islands (Malvinas)
country-FM = Micronesia, Federated States of
country-FO = Faroe Islands
country-FR = France
country-GA = Gabon
country-GB = United Kingdom
country-GD = Grenada
country-GE = Georgia
country-GF = French Guiana
country-GG = Guernsey
country-GH = Ghana
country-GI = Gibraltar
country-GL = Greenland
country-GM = Gambia
country-GN = Guinea
country-GP = Guadeloupe
country-GQ = Equatorial Guinea
country-GR = Greece
country-GS = South Georgia and the South Sandwich Islands
country-GT = Guatemala
country-GU = Guam
country-GW = Guinea-Bissau
country-GY = Guyana
country-HK = Hong Kong
country-HM = Heard Island and McDonald Islands
country-HN = Honduras
country-HR = Croatia
country-HT = Haiti
country-HU = Hungary
country-ID = Indonesia
country-IE = Ireland
country-IL = Israel
country-IM = Isle of Man
country-IN = India
country-IO = British Indian Ocean Territory
country-IQ = Iraq
country-IR = Iran
country-IS = Iceland
country-IT = Italy
country-JE = Jersey
country-JM = Jamaica
country-JO = Jordan
country-JP = Japan
country-KE = Kenya
country-KG = Kyrgyzstan
country-KH = Cambodia
country-KI = Kiribati
country-KM = Comoros
country-KN = Saint Kitts and Nevis
country-KP = North Korea
country-KR = South Korea
country-KW = Kuwait
country-KY = Cayman Islands
country-KZ = Kazakhstan
country-LA = Laos
country-LB = Lebanon
country-LC = Saint Lucia
country-LI = Liechtenstein
country-LK = Sri Lanka
country-LR = Liberia
country-LS = Lesotho
country-LT = Lithuania
country-LU = Luxembourg
country-LV = Latvia
country-LY = Libya
country-MA = Morocco
country-MC = Monaco
country-MD = Moldova
country-ME = Montenegro
country-MF = Saint Martin (French part)
country-MG = Madagascar
country-MH = Marshall Islands
country-MK = North Macedonia
country-ML = Mali
country-MM = Myanmar
country-MN = Mongolia
country-MO = Macao
country-MP = Northern Mariana Islands
country-MQ = Martinique
country-MR = Mauritania
country-MS = Montserrat
country-MT = Malta
country-MU = Mauritius
country-MV = Maldives
country-MW = Malawi
country-MX = Mexico
country-MY = Malaysia
country-MZ = Mozambique
country-NA = Namibia
country-NC = New Caledonia
country-NE = Niger
country-NF = Norfolk Island
country-NG = Nigeria
country-NI = Nicaragua
country-NL = Netherlands
country-NO = Norway
country-NP = Nepal
country-NR = Nauru
country-NU = Niue
country-NZ = New Zealand
country-OM = Oman
country-PA = Panama
country-PE = Peru
country-PF = French Polynesia
country-PG = Papua New Guinea
country-PH = Philippines
country-PK = Pakistan
country-PL = Poland
country-PM = Saint Pierre and Miquelon
country-PN = Pitcairn
country-PR = Puerto Rico
country-PS = Palestine, State of
country-PT = Portugal
country-PW = Palau
country-PY = Paraguay
country-QA = Qatar
country-RE = Réunion
country-RO = Romania
country-RS = Serbia
country-RU = Russian Federation
country-RW = Rwanda
country-SA = Saudi Arabia
country-SB = Solomon Islands
country-SC = Seychelles
country-SD = Sudan
country-SE = Sweden
country-SG = Singapore
country-SH = Saint Helena, Ascension and Tristan da Cunha
country-SI = Slovenia
country-SJ = Svalbard and Jan Mayen
country-SK = Slovakia
country-SL = Sierra Leone
country-SM = San Marino
country-SN = Senegal
country-SO = Somalia
country-SR = Suriname
country-SS = South Sudan
country-ST = Sao Tome and Principe
country-SV = El Salvador
country-SX = Sint Maarten (Dutch part)
country-SY = Syria
country-SZ = Eswatini
country-TC = Turks and Caicos Islands
country-TD = Chad
country-TF = French Southern Territories
country-TG = Togo
country-TH = Thailand
country-TJ = Tajikistan
country-TK = Tokelau
country-TL = Timor-Leste
country-TM = Turkmenistan
country-TN = Tunisia
country-TO = Tonga
country-TR = Türkiye
country-TT = Trinidad and Tobago
country-TV = Tuvalu
country-TW = Taiwan
country-TZ = Tanzania
country-UA = Ukraine
country-UG = Uganda
country-UM = United States Minor Outlying Islands
country-US = United States
country-UY = Uruguay
country-UZ = Uzbekistan
country-VA = Holy See (Vatican City State)
country-VC = Saint Vincent and the Grenadines
country-VE = Venezuela
country-VG = Virgin Islands, British
country-VI = Virgin Islands, U.S.
country-VN = Vietnam
country-VU = Vanuatu
country-WF = Wallis and Futuna
country-WS = Samoa
country-YE = Yemen
country-YT = Mayotte
country-ZA = South Africa
country-ZM = Zambia
country-ZW = Zimbabwe
arrow-both = ↔
audit-hidden-entries = Entries not about your posts are not shown here.
error-later-day-closed = { $day } is closed at { $post }, and this would change who was present at its end: a supervisor must reopen it first.

# A submission kept across a new sign-in (the session had ended)
login-session-ended = Your session ended while you were away. Sign in again: what you were sending is kept.
resume-title = Send what you had typed
resume-intro = You are signed in again. This is what you were sending when your session ended; nothing has been saved yet.
resume-send = Send it now
resume-drop = Do not send
resume-intro-other-sign-in = This form was opened before you last signed in (or in another window), so nothing was saved. This is what you were sending:
skipped-failed = could not be saved; try again

## People (the register, search, duplicates, merges)
nav-people = People
people-title = People
people-search = Name
people-search-hint = Any spelling, in Arabic or Latin letters: حسين finds Hussein and the reverse. Exact spellings come first.
people-none = No one matches.
people-names = Names
person-register = Register a person
person-new-title = Register a person
person-edit-title = Change a person's record
person-edit = Change the record
person-status = Status
person-field-name-ar = Name in Arabic
person-field-name-latin = Name in Latin letters
person-field-father-name = Father's name
person-field-grandfather-name = Grandfather's name
person-field-family-name = Family name
person-field-mother-name = Mother's name
person-field-birth-date = Date of birth
person-field-birth-year = Year of birth
person-field-sex = Sex
person-field-rank = Rank
person-field-unit = Unit
person-field-service-number = Service number
person-field-id-document-type = Identity document
person-field-id-document-number = Document number
person-field-nationality = Nationality
person-field-medical = Medical
person-field-vulnerabilities = Vulnerabilities
person-field-inbound-event-id = Arrived with
person-field-notes = Notes
person-hint-name-ar = The full name as the person gives it. Give it in Arabic, in Latin letters, or both.
person-hint-birth-date = Like 1998-03-04, when known; otherwise the year below.
person-hint-birth-year = Four digits, like 1998.
person-hint-nationality = Two-letter country code, like SY or IQ.
person-hint-vulnerabilities = Anything that calls for care: a minor, a disability, a threat against them.
person-hint-inbound-event-id = The arrival at this post they came with.
person-arrival-none = Not known
not-recorded = Not recorded
sex-male = Male
sex-female = Female
document-national-id = National identity card
document-military-id = Military identity card
document-passport = Passport
document-other = Other document
medical-none = Nothing to note
medical-needs-care = Needs care
medical-wounded = Wounded
medical-evacuated = Evacuated to hospital
person-status-present = Present
person-status-wishes-to-return = Wishes to return
person-status-declines-return = Declines to return
person-status-returned = Returned
person-status-transferred = Transferred
person-status-deceased = Deceased
person-status-absconded = Absconded
person-declines-notice = This person has said they do not wish to return. No return may include them.
person-merged-into = This record was merged into
person-transferred-to = Transferred to
person-statements = What the person said about returning
person-statements-none = No statement recorded yet.
person-wish = Wish
person-stated-on = Said on
person-heard-by = Heard by
person-how = How
person-recorded-by = Recorded by
how-interview = In an interview
how-written = In writing
how-third-party = Through a third party
person-change-status = Change status
person-new-status = New status
person-statement-hint = For a wish to return or not: the date, who heard it and how. For a transfer: to whom. A reason is required to close a case.
person-conflict-explain = Someone changed this person's record after you opened the form. Their values are below; your changes are kept in the form.
match-exact = same spelling
match-folded = spelling variant
match-cross = other script
duplicates-found-title = This may be someone already registered
duplicates-found-explain = Nothing was saved. Open the record if it is the same person; if it is someone else, tick the box below and save again.
duplicates-confirm-not = I checked: this is not the same person as the records above.
duplicate-certain = Same person
duplicate-probable = Probably the same person
duplicate-reason-document = same document number
duplicate-reason-service-number = same service number
duplicate-reason-name = same name, birth years within one
duplicates-title = Possible duplicates
duplicates-explain = Records with the same name (however spelled, in either script) and birth years within one year. Compare them and merge, or say they are different people.
duplicates-probable = Probable pairs
duplicates-none = No probable duplicates.
duplicates-not-same = Not the same person
col-actions = Actions
merges-awaiting = Merges awaiting a second supervisor
merges-none = None.
merge-proposal = Merge
merge-title = Merge two records of one person
merge-explain = Choose, for each field that differs, which value the kept record will hold. The other record stays readable and points to the kept one. A second supervisor must confirm.
merge-field = Field
merge-kept = Kept record
merge-merged = Merged record
merge-same-values = Every field holds the same value in both records.
merge-compare = Compare
merge-propose = Propose the merge
merge-confirm = Confirm the merge
merge-withdraw = Withdraw the proposal
merge-you-proposed = You proposed this merge; another supervisor must confirm it.
merge-status-proposed = awaiting confirmation
merge-status-confirmed = confirmed
merge-status-withdrawn = withdrawn
pager-first = First page
pager-next = Next page
notice-person-registered = { $reference } registered.
notice-person-saved = { $reference } saved.
notice-person-status = The status of { $reference } changed.
notice-not-duplicate = Recorded: these are two different people.
notice-merge-confirmed = The records were merged.
notice-merge-withdrawn = The merge proposal was withdrawn.
denied-merged = This record was merged into another; change that one.
error-name-required = Give the name in Arabic or in Latin letters (or both).
error-choice-invalid = Choose one of the listed values.
error-birth-year-invalid = Use a year from { $from } to { $to }.
error-birth-year-mismatch = The year of birth differs from the date of birth.
error-date-in-future = This date is in the future.
error-event-unknown = Choose one of the listed arrivals.
error-status-transition = A person who is “{ $from_status }” cannot become “{ $to_status }”.
error-status-returned-by-manifest = A person is returned only by verifying a return whose manifest names them.
error-transferred-to-required = Say to which authority the person was transferred.
error-person-changed-meanwhile = Someone changed this person meanwhile; here is the record as it stands now.
error-merge-same-record = A record is the same as itself.
error-merge-other-post = Records of two posts are not merged.
error-merge-status-differs = The two records' statuses differ: bring them into agreement first.
error-merge-decided = This merge was already decided.
action-person-create = Person registered
action-person-update = Person's record changed
action-person-status = Person's status changed
action-person-view = Person's record viewed
action-person-not-duplicate = Said not to be the same person
action-person-merge-propose = Merge proposed
action-person-merge = Records merged
action-person-merge-withdraw = Merge withdrawn
field-person-reference = Person's reference
field-merged-into = Merged into

## Manifests and the handover document
manifest-title = Named people
manifest-title-return = Named people of the return
manifest-title-arrival = Named people of the arrival
manifest-named = Named
manifest-named-of = named: { $named } of { $headcount }
manifest-none = No one is named yet.
manifest-add = Name people
manifest-choose = Add
manifest-add-chosen = Add the people ticked
manifest-remove = Take off the list
notice-manifest-added = { $count ->
    [one] One person added to the list.
   *[other] { $count } people added to the list.
}
denied-list-locked = The list of a verified event is locked with its figures; a supervisor who corrects the event returns it to pending.
error-person-unknown = There is no such person at this post.
error-person-merged = This record was merged into another.
error-person-declines-return = { $person } has said they do not wish to return: no return may include them.
error-person-not-present = { $person } is “{ $to_status }”: only a person who is present can be returned.
error-person-on-another-return = { $person } is already named on the return { $event }.
error-person-came-with-another = { $person } came with the arrival { $event }.
error-manifest-full = Adding { $person } would name more people than the event's headcount ({ $headcount }).
error-manifest-nothing-chosen = Choose at least one person to add.
error-return-names-someone-not-returnable = { $person } is on this return's list but is “{ $to_status }”: take them off the list first.
error-direction-has-named-people = People are named on this event: take them off its list before changing its direction.
error-headcount-below-named = { $count } people are named on this event: the headcount cannot be lower.
action-manifest-add = Named on an event's list
action-manifest-remove = Taken off an event's list
handover-title = Handover of returnees
handover-print-hint = Print this page on A4 and sign it on both sides.
handover-reference = Return
handover-from = Handed over at
handover-to = Received by
handover-when = Date and time
handover-agreement = Under the agreement
handover-no-agreement = This return cites no agreement.
handover-col-name = Name
handover-col-document = Document
handover-col-medical = Medical needs
handover-list-hash = list
handover-named = Named:
handover-headcount = Headcount:
handover-unnamed = Unnamed:
handover-handing-officer = Handing-over officer
handover-receiving-officer = Receiving officer
handover-witness = Witness (e.g. ICRC)
handover-sign-name = Name
handover-sign-signature = Signature and date

## Follow-up after return
person-named-on-return = Named on the return
person-followups = Heard of after return
person-followups-none = Nothing heard yet.
followup-observed-on = Heard on
followup-source = From
followup-finding = Finding
followup-text = What was heard
followup-record = Record what was heard
followup-source-family = Family
followup-source-icrc = ICRC
followup-source-media = Media
followup-source-person = The person
finding-safe = Safe
finding-no-news = No news
finding-alleged-reprisal = Reprisal alleged
finding-confirmed-reprisal = Reprisal confirmed
notice-followup = Recorded what was heard of { $reference }.
error-person-not-returned = Follow-ups are of people who were returned.
action-person-followup = Heard of after return
agreement-followups = Returnees followed up
agreement-monitoring = { $followed } of { $returnees } heard of; last heard safe: { $safe }

## Importing a received list
import-title = Import a list of people
import-explain = Upload the list as it was received — a CSV file (UTF-8 or Windows-1256, as Arabic Excel writes it) or an .xlsx workbook. You will see every row before anything is saved.
import-file = The file
import-file-hint = CSV or .xlsx, at most 5 MB and 20,000 rows; the first row names the columns.
import-event = The rows join the list of
import-event-none = No event
import-upload = Upload and preview
import-preview-title = Check the list before importing it
import-columns = What each column holds
import-column = Column
import-fills = Fills
import-ignore = Ignore this column
import-remap = Read the rows again with these columns
import-rows = Rows
import-outcome = Outcome
import-new = New person
import-create-anyway = Someone else: register a new person
import-confirm = Import every row
import-fix-first = Some rows have errors: correct the file (or the columns) and upload it again; nothing is imported until every row is right.
import-done = This list was imported.
import-summary = { $rows } rows: { $matched } match people already registered, { $errors } with errors.
import-rows-hidden = { $count } more rows are checked but not shown.
notice-imported = Imported: { $created } people registered, { $linked } already registered.
error-import-no-file = Choose the file to import.
error-import-too-large = The file is larger than { $max_mb } MB: split it, or send it in parts.
error-import-too-many-rows = The file has more than { $max_rows } rows: split it into parts.
error-import-empty = The file holds no rows.
error-import-unreadable = This file cannot be read: send a CSV or an .xlsx workbook.
error-import-done = This list was imported already.
error-import-rows-invalid = { $count } rows have errors; nothing was imported.
action-import-upload = List uploaded for preview
action-import-confirm = List imported
action-reconcile = Return reconciled with the other side's list
action-reconcile-resolve = Difference looked into

## Reconciliation with the other side's list
reconcile-title = Reconcile with the list received
reconcile-explain = Upload the list of whom the other side received. It is matched against this return's list — document or service number first, then the name in either script with the year of birth — and the differences are listed for a supervisor to look into.
reconcile-file = Their list
reconcile-run = Reconcile
reconcile-ours-only = On our list only
reconcile-theirs-only = On their list only
reconcile-matched = On both lists
reconcile-none = None.
reconcile-ours = Our list
reconcile-theirs = Their list
reconcile-row = Their row
reconcile-reason = Matched by
reconcile-reason-document = document number
reconcile-reason-service-number = service number
reconcile-reason-name-and-year = name and year of birth
reconcile-reason-name = name
reconcile-their-row = their row { $row }
reconcile-note = Note
reconcile-resolve = Looked into
reconcile-resolved = Looked into
manifest-reconcile = Reconcile with their list
manifest-import = Import a received list

state-title = Tables against the trail
state-consistent = Every covered column holds the value the audit trail last recorded for it.
state-differs = { $count ->
    [one] One difference from the audit trail: a row was changed around the application.
   *[other] { $count } differences from the audit trail: rows were changed around the application.
}
state-explain = Each change records its fields' new values. Replaying them rebuilds what the posts, events, agreements and users must hold now; any row that differs, or exists without an entry, was written by something other than repatrack. The README lists the columns covered.
state-rows = { $count ->
    [one] One row compared
   *[other] { $count } rows compared
}
state-col-table = Table
state-col-record = Record
state-col-problem = What differs
state-field-differs = { $field } differs from the trail
state-no-entry = No audit entry ever gave it its values
state-missing = In the trail, missing from the table
checkpoints-receipt = Latest receipt
checkpoints-receipt-explain = A receipt is the latest checkpoint as a small signed text file. Keep it where this server cannot reach it; later, repatrack audit verify --receipt FILE names any entry cut from the end or rewritten since.
audit-stamp = Audit seq { $seq }, head { $head }
state-table-border_posts = Border posts
state-table-crossing_events = Crossing events
state-table-agreements = Agreements
state-table-users = Users
## The second factor (TOTP and recovery codes)
action-auth-second-factor-asked = Password right, second factor asked
action-account-two-factor-enable = Second factor set up
action-user-two-factor-reset = Second factor reset by an administrator
denied-own-second-factor = Your own second factor is reset by another administrator.
error-code-wrong = This code is not right, or was used already. Type the code your app shows now.
error-two-factor-already = A second factor is already set up for this account.
error-two-factor-none = This account has no second factor.
second-step-title = Second step: your code
hint-code-sign-in = The six digits your authenticator app shows now, or one of your recovery codes (each works once).
second-step-submit = Sign in
second-step-cancel = Sign in as someone else
second-step-lost = Lost your phone and your recovery codes? Ask an administrator to reset your second factor.
two-factor-title = Second factor
two-factor-required = Your role must have a second factor. Set it up now: no other page opens until it is done.
two-factor-enabled = The second factor is set up. From now on, signing in asks for a code from your app.
recovery-codes-title = Your recovery codes
recovery-codes-intro = Write these ten codes down or print this page now, and keep them apart from your phone: this is the only time they are shown. Each one works once, in place of a code, if your phone is lost.
two-factor-continue = Continue
two-factor-enabled-since = Set up on { $since }.
recovery-codes-left = Recovery codes left
two-factor-lost = Lost your phone? An administrator can reset your second factor; you then set it up again.
two-factor-intro-required = Your role must have a second factor: a code from an authenticator app on your phone, asked for at every sign-in after your password.
two-factor-intro-optional = A second factor protects your account if your password is found out: a code from an authenticator app on your phone, asked for at every sign-in after your password.
two-factor-step-scan = Open your authenticator app (such as FreeOTP, Aegis or Google Authenticator) and scan this code.
two-factor-step-type = Or type this key into the app (time-based, six digits, 30 seconds):
two-factor-step-confirm = Type the code the app now shows, to confirm.
hint-code-enrol = Six digits.
two-factor-enable-button = Turn on the second factor
hint-two-factor-reset = For a lost phone. The user is signed out everywhere and sets a new one up at their next sign-in.
two-factor-reset-button = Reset the second factor
two-factor-not-set-up = No second factor is set up.
notice-two-factor-reset = Second factor reset. The user was signed out everywhere.
two-factor-on = A second factor is set up.
two-factor-off = No second factor is set up.
two-factor-manage = See the second factor
two-factor-set-up = Set up a second factor

## Situation statement (the sentences a ministry or the ICRC would write, from the ledger)
month-long-1 = January
month-long-2 = February
month-long-3 = March
month-long-4 = April
month-long-5 = May
month-long-6 = June
month-long-7 = July
month-long-8 = August
month-long-9 = September
month-long-10 = October
month-long-11 = November
month-long-12 = December
situation-page-title = Situation statement
situation-explain = A statement of the verified figures at the end of a day, in English and Arabic, written from the record. Every number links to the page it comes from.
situation-as-of = As of the end of
situation-posts = Posts
situation-posts-all = Every post I can see
situation-lang = Language
situation-lang-both = English and Arabic
situation-show = Write the statement
situation-text = Plain text
situation-print = Print
error-situation-future = A statement is of a day that has begun, today at the latest.
error-situation-lang-invalid = Choose English, Arabic or both.
situation-heading = Situation as of { $date }
situation-lead = Verified figures only, at the end of { $date } at each post.
situation-post-heading = { $post } ({ $code })
situation-when =
    { $span ->
        [day] On { $day } { $month } { $year }
        [pair] On { $from_day } and { $day } { $month } { $year }
        [month] Between { $from_day } and { $day } { $month } { $year }
        [year] Between { $from_day } { $from_month } and { $day } { $month } { $year }
       *[years] Between { $from_day } { $from_month } { $from_year } and { $day } { $month } { $year }
    }
situation-people-military =
    { $count ->
        [one] { $n } member of the military
       *[other] { $n } military personnel
    }
situation-people-civilian =
    { $count ->
        [one] { $n } civilian
       *[other] { $n } civilians
    }
situation-and = { $first } and { $second }
situation-entered = { $when }, { $people } entered { $country } through { $post }.
situation-returned =
    { $count ->
        [one] { $when }, { $people } was returned to { $country } through { $through }{ $under }.
       *[other] { $when }, { $people } were returned to { $country } through { $through }{ $under }.
    }
situation-same-crossing = the same crossing
situation-under-agreement = { " " }under agreement { $reference }
situation-under-agreement-assured = { " " }under agreement { $reference }, which assures them of no reprisals
situation-under-agreements = { " " }under agreements { $references }
situation-remaining =
    { $count ->
        [one] As of { $date }, { $people } who crossed at { $post } remains in { $country }.
       *[other] As of { $date }, { $people } who crossed at { $post } remain in { $country }.
    }
situation-remaining-none = As of { $date }, none of those who crossed at { $post } remain in { $country }.
situation-nothing = No verified crossing at { $post } is recorded by { $date }.
situation-pending =
    { $count ->
        [one] One entry at { $post } awaits verification and is not included in these figures ({ $in } in, { $out } out).
       *[other] { $n } entries at { $post } await verification and are not included in these figures ({ $in } in, { $out } out).
    }
situation-closed = Figures for days up to { $date } are closed.
situation-agreements = Agreements
situation-agreement-in-force = Agreement { $reference }, “{ $title }”, between { $parties }, has been in force since { $from }.
situation-agreement-in-force-until = Agreement { $reference }, “{ $title }”, between { $parties }, is in force from { $from } to { $to }.
situation-agreement-ended = Agreement { $reference }, “{ $title }”, between { $parties }, was in force from { $from } to { $to }.
situation-agreement-suspended = Agreement { $reference }, “{ $title }”, between { $parties }, in force from { $from }, was suspended on { $date }.
situation-agreement-concluded = Agreement { $reference }, “{ $title }”, between { $parties }, in force from { $from }, was concluded on { $date }.
situation-clause = { $kind }: { $text }
situation-agreement-progress = By { $date }, { $returned } of the { $planned } people planned had been returned under it.
situation-agreement-returned =
    { $count ->
        [one] By { $date }, { $returned } person had been returned under it.
       *[other] By { $date }, { $returned } people had been returned under it.
    }
situation-findings-none = No compliance finding had been recorded against it by { $date }.
situation-finding = On { $date }, { $source } reported ({ $finding }): { $text }
situation-monitoring =
    { $count ->
        [one] Of the { $returnees } person named in its returns, { $followed } had been heard of since; the latest news of { $safe } was that they were safe.
       *[other] Of the { $returnees } people named in its returns, { $followed } had been heard of since; the latest news of { $safe } was that they were safe.
    }
situation-people = People
situation-declined =
    { $count ->
        [one] One person registered at these posts had declined to return.
       *[other] { $n } people registered at these posts had declined to return.
    }
situation-generated = Generated on { $at } (UTC) by { $who }, from the record as it stood at audit seq { $seq }.
situation-receipt = Audit receipt at generation: { $stamp }.
situation-recorded = This statement is audit entry { $seq }; the SHA-256 of its text is { $sha }.
