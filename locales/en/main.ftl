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
hint-occurred-at = At the post, in its own time zone, like 2024-12-19T14:30.
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
queue-days-blocked = { $day } and later still hold events awaiting verification.
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
