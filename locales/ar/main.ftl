# repatrack — العربية. كل مفتاح هنا يجب أن يوجد في en/main.ftl أيضاً (يتحقق من ذلك اختبار).

## Frame
brand = repatrack
skip-to-content = انتقل إلى المحتوى
nav-main = القائمة الرئيسية
nav-dashboard = لوحة المتابعة
nav-posts = المنافذ
nav-admin = الإدارة
sign-out = تسجيل الخروج
footer-tagline = repatrack · سجل عبور الحدود والإعادة
language-switch = اللغة
language-switch-button = تغيير
scope-all-posts = جميع المنافذ
scope-no-posts = لم يُسند إليك أي منفذ
breadcrumb = مسار التنقل

## Roles
role-admin = مدير النظام
role-supervisor = مشرف
role-officer = موظف حالات
role-auditor = مدقق

## Counts
minutes = { $count ->
    [zero] { $count } دقيقة
    [one] دقيقة واحدة
    [two] دقيقتان
    [few] { $count } دقائق
    [many] { $count } دقيقة
   *[other] { $count } دقيقة
}
fields-to-correct = { $count ->
    [one] يرجى تصحيح هذا الحقل
    [two] يرجى تصحيح هذين الحقلين
    [few] يرجى تصحيح { $count } حقول
    [many] يرجى تصحيح { $count } حقلاً
   *[other] يرجى تصحيح { $count } حقل
}

## Dates (أسماء الأشهر المستعملة في العراق وسوريا)
month-1 = كانون الثاني
month-2 = شباط
month-3 = آذار
month-4 = نيسان
month-5 = أيار
month-6 = حزيران
month-7 = تموز
month-8 = آب
month-9 = أيلول
month-10 = تشرين الأول
month-11 = تشرين الثاني
month-12 = كانون الأول
format-date = { $day } { $month } { $year }
format-datetime = { $date }، { $time } ({ $zone })
never = لم يسجّل الدخول بعد

## Error pages
error-status = خطأ { $status }
error-404-title = الصفحة غير موجودة
error-404-message = لا توجد صفحة بهذا العنوان، أو أنها لا تخص المنافذ المسندة إليك.
error-403-title = غير مسموح
error-403-message = لا يسمح دورك بهذا الإجراء. اطلبه من مشرف إن كنت تحتاج إليه.
error-422-title = تعذّرت قراءة الطلب
error-422-message = تعذّر فهم بعض ما أُرسل. عد إلى الصفحة السابقة، وراجع النموذج، ثم حاول مجدداً.
error-500-title = حدث خطأ من جهتنا
error-500-message = لم يحدث هذا بسببك. حاول مجدداً بعد قليل، وإن تكرر فأعطِ هذا الرقم المرجعي لمدير النظام.
error-reference = الرقم المرجعي:
error-back = العودة إلى صفحة البداية

## Sign-in
login-title = تسجيل الدخول
login-username = اسم المستخدم
login-password = كلمة المرور
login-submit = دخول
login-forgot = نسيت كلمة المرور؟ اطلب من مدير النظام إعادة تعيينها.
login-invalid = اسم المستخدم أو كلمة المرور غير صحيحة
login-locked-user = محاولات دخول فاشلة كثيرة لاسم المستخدم هذا. انتظر { $wait } ثم حاول مجدداً.
login-locked-network = محاولات دخول فاشلة كثيرة من هذه الشبكة. انتظر { $wait } ثم حاول مجدداً.

## Dashboard
dashboard-title = لوحة المتابعة
dashboard-signed-in-as = تم تسجيل الدخول باسم
dashboard-your-posts = منافذك الحدودية
dashboard-no-posts = لم يُسند إليك أي منفذ حدودي بعد. يتولى مدير النظام إسناد المنافذ.

## Border posts
posts-title = المنافذ الحدودية
posts-new = منفذ حدودي جديد
posts-none = لا يوجد منفذ حدودي ضمن نطاقك.
posts-caption = المنافذ الحدودية ضمن نطاقك
col-code = الرمز
col-name = الاسم
col-name-ar = الاسم بالعربية
col-crossing = العبور
col-governorate = المحافظة
col-timezone = المنطقة الزمنية
col-state = الحالة
post-open = مفتوح
post-closed = مغلق أمام السجلات الجديدة
post-edit = تعديل
post-country = الدولة
post-neighbour-country = الدولة المجاورة
post-counterpart = المنفذ المقابل
post-governorate = المحافظة
post-timezone = المنطقة الزمنية
post-state = الحالة
post-form-new-title = منفذ حدودي جديد
post-form-edit-title = تعديل المنفذ الحدودي
field-code = الرمز
hint-code = من 2 إلى 16 حرفاً لاتينياً كبيراً أو رقماً أو شرطة، مثل QAIM. لا يمكن تغييره لاحقاً.
hint-code-fixed = لا يمكن تغيير الرمز لأن أرقام السجلات المرجعية مبنية عليه.
field-name-en = الاسم بالإنجليزية
field-name-ar = الاسم بالعربية
field-country = الدولة
hint-country = رمز ISO من حرفين لدولة المنفذ نفسها، مثل IQ.
field-neighbour-country = الدولة المجاورة
hint-neighbour-country = رمز ISO من حرفين للدولة على الجانب الآخر من الحدود، مثل SY.
field-governorate = المحافظة
field-counterpart-name = المنفذ المقابل
hint-counterpart-name = بالنسبة إلى القائم: البوكمال.
field-timezone = المنطقة الزمنية
hint-timezone = تُدخل أوقات هذا المنفذ وتُعرض بهذه المنطقة الزمنية. اتركه فارغاً لاعتماد Asia/Baghdad.
field-post-active = مفتوح: يقبل سجلات جديدة
post-create = إنشاء المنفذ الحدودي
save-changes = حفظ التغييرات
post-conflict-title = غيّر شخص آخر هذا المنفذ في الأثناء
record-conflict-explain = قيمه الأحدث موجودة أدناه. تعديلاتك ما زالت في النموذج: قارنها بها ثم احفظ مرة أخرى لتحل محلها.

## Users
users-title = المستخدمون
users-new = مستخدم جديد
users-caption = جميع الحسابات
col-username = اسم المستخدم
col-display-name = الاسم
col-role = الدور
col-posts = المنافذ
col-last-login = آخر دخول
user-active = نشط
user-deactivated = معطّل
user-form-new-title = مستخدم جديد
user-form-edit-title = المستخدم
field-username = اسم المستخدم
hint-username = من 3 إلى 40 حرفاً لاتينياً أو رقماً أو نقطة أو شرطة، مثل sara.ali. يُستعمل لتسجيل الدخول.
field-display-name = الاسم الظاهر للآخرين
hint-display-name = بأي لغة، حتى 100 حرف. إن تُرك فارغاً يُستعمل اسم المستخدم.
field-role = الدور
legend-posts = المنافذ الحدودية التي يمكن لهذا المستخدم رؤيتها والعمل عليها
field-all-posts = جميع المنافذ، بما فيها ما يُضاف مستقبلاً
field-user-active = نشط: يمكنه تسجيل الدخول (إلغاء التحديد يخرجه من جميع جلساته)
field-first-password = كلمة المرور الأولى
hint-first-password = من 15 إلى 128 حرفاً؛ بضع كلمات عادية متتالية تفي بالغرض. سلّمها للمستخدم شخصياً.
user-create = إنشاء المستخدم
reset-password-title = إعادة تعيين كلمة المرور
field-new-password = كلمة المرور الجديدة
hint-reset-password = من 15 إلى 128 حرفاً. إعادة التعيين تخرج المستخدم من جميع جلساته.
reset-password-button = إعادة تعيين كلمة المرور
notice-saved = تم الحفظ.
notice-password-reset = أُعيد تعيين كلمة المرور، وأُخرج المستخدم من جميع جلساته.
user-conflict-title = غيّر شخص آخر هذا الحساب في الأثناء
user-conflict-reset-explain = لم تُعيَّن كلمة المرور. الحساب كما هو الآن موجود أدناه وفي النموذج: راجعه، ثم عيّن كلمة المرور مرة أخرى إن بقيت الحاجة إليها.

## Own account
account-title = حسابك
account-username = اسم المستخدم
account-change-password = تغيير كلمة المرور
field-password = كلمة المرور
field-posts = المنافذ الحدودية
field-current-password = كلمة المرور الحالية
hint-new-password = من 15 إلى 128 حرفاً؛ بضع كلمات عادية متتالية تفي بالغرض. ستُغلق جلساتك الأخرى.
change-password-button = تغيير كلمة المرور
account-sessions = الأماكن التي سجّلت الدخول منها
col-signed-in = وقت الدخول
col-last-used = آخر استعمال
col-address = العنوان
col-browser = المتصفح
this-browser = (هذا المتصفح)
notice-password-changed = تم تغيير كلمة المرور، وأُغلقت جلساتك الأخرى.
account-preferences = اللغة والأرقام
field-language = اللغة
field-digits = الأرقام
digits-western = غربية (0123456789)
digits-arabic-indic = هندية (٠١٢٣٤٥٦٧٨٩)
save-preferences = حفظ
notice-preferences-saved = تم حفظ تفضيلاتك.

## Messages beside fields
error-required = هذا الحقل مطلوب.
error-too-long = { $max } حرف كحد أقصى.
error-post-code-invalid = استعمل من 2 إلى 16 حرفاً لاتينياً كبيراً أو رقماً أو شرطة، مثل QAIM.
error-post-code-taken = يوجد منفذ حدودي بهذا الرمز من قبل.
error-post-unknown = لا يوجد منفذ حدودي بالرمز { $codes }.
error-country-invalid = استعمل رمز الدولة المكوّن من حرفين وفق ISO، مثل IQ أو SY.
error-timezone-invalid = استعمل اسم منطقة زمنية مثل Asia/Baghdad.
error-neighbour-same-as-country = يجب أن تختلف الدولة المجاورة عن دولة المنفذ نفسها.
error-username-invalid = استعمل من 3 إلى 40 حرفاً لاتينياً أو رقماً أو نقطة أو شرطة، تبدأ بحرف أو رقم، مثل sara.ali.
error-username-taken = اسم المستخدم هذا مستعمل من قبل.
error-display-name-invalid = استعمل حروفاً عادية دون رموز تحكم.
error-role-invalid = اختر أحد الأدوار.
error-password-too-short = استعمل 15 حرفاً على الأقل. بضع كلمات عادية متتالية تصنع كلمة مرور جيدة.
error-password-too-long = استعمل 128 حرفاً كحد أقصى.
error-password-common = كلمة المرور هذه شائعة جداً أو سهلة التخمين. اختر غيرها.
error-own-account = لا يمكنك تغيير دورك أو تعطيل حسابك بنفسك. اطلب ذلك من مدير آخر.
error-current-password-wrong = هذه ليست كلمة مرورك الحالية.
error-locked = محاولات خاطئة كثيرة. انتظر { $wait } ثم حاول مجدداً.

## Audit trail
nav-audit = سجل التدقيق
audit-title = سجل التدقيق
audit-caption = التغييرات والأحداث المسجّلة
audit-verify-link = التحقق من السلسلة
export-csv = تصدير CSV
audit-times-utc = الأوقات بالتوقيت العالمي المنسّق.
audit-none = لا توجد قيود مطابقة.
audit-reason = السبب
col-seq = الرقم
col-when = الوقت
col-who = المستخدم
col-action = ما حدث
col-record = السجل
col-what-changed = التفاصيل
filter-any = الكل
filter-entity = نوع السجل
filter-entity-id = رقم السجل
filter-from = من يوم
filter-to = إلى يوم
filter-apply = عرض
pager = الصفحات
pager-newest = الأحدث
pager-older = قيود أقدم
audit-verify-title = التحقق من سجل التدقيق
audit-intact = السلسلة سليمة: كل قيد يطابق بصمته ويلي القيد الذي قبله.
audit-broken = السلسلة مكسورة عند القيد { $seq }: عُدّل أو حُذف أو أُعيد ترتيبه خارج النظام.
audit-see-broken = عرض القيود المحيطة به
audit-entries = عدد القيود
audit-head = آخر بصمة
audit-verify-explain = بصمة كل قيد تشمل القيد الذي قبله، فتعديل أي قيد أو حذفه أو تغيير ترتيبه يكسر كل البصمات بعده. احتفظ بنسخة من آخر بصمة في مكان آخر؛ فهي تثبت السجل حتى الآن.
history-title = سجل تغييرات
error-date-invalid = استعمل تاريخاً مثل 2024-12-18.
action-post-create = إنشاء منفذ حدودي
action-post-update = تعديل منفذ حدودي
action-user-create = إنشاء مستخدم
action-user-update = تعديل مستخدم
action-user-password-reset = إعادة تعيين كلمة المرور من قبل المدير
action-account-password-change = تغيير المستخدم كلمة مروره
action-account-preferences = تغيير اللغة أو الأرقام
action-auth-login = تسجيل دخول
action-auth-login-failed = محاولة دخول فاشلة
action-auth-lockout = قفل اسم مستخدم بعد محاولات فاشلة
action-auth-logout = تسجيل خروج
action-access-denied = رفض طلب
history-link = سجل التغييرات
action-export = تصدير بيانات
export-csv-bom = CSV لبرامج الجداول
checkpoints-title = نقاط التحقق الموقّعة
checkpoints-explain = نقطة التحقق توقّع آخر بصمة بمفتاح هذا النظام، مرة كل 1000 قيد وكل ساعة على الأقل. انسخها إلى مكان لا يصل إليه هذا الخادم: كل نقطة تثبت السجل حتى لحظتها.
checkpoints-count = عدد النقاط
checkpoints-key = المفتاح العام
checkpoints-signature = التوقيع
checkpoints-valid = صحيح
checkpoints-invalid = غير صحيح
error-direction-invalid = اختر دخولاً أو خروجاً.
error-category-invalid = اختر عسكرياً أو مدنياً.
error-number-invalid = استعمل عدداً صحيحاً، مثل 120.
error-headcount-too-small = واحد على الأقل.
error-number-too-large = { $max } كحد أقصى.
error-datetime-invalid = استعمل تاريخاً ووقتاً مثل ⁦2024-12-19 14:30⁩.
error-time-nonexistent = هذا الوقت غير موجود في المنطقة الزمنية للمنفذ (تقفز عنه الساعة).
error-time-in-future = لا يمكن أن يتجاوز الوقت الحالي بأكثر من 10 دقائق.
error-time-too-early = لا يمكن أن يكون قبل عام 1950: تحقّق من السنة.
error-officers-exceed-headcount = لا يمكن أن يتجاوز العدد الكلي ({ $headcount }).
error-wounded-exceed-headcount = لا يمكن أن يتجاوز العدد الكلي ({ $headcount }).

## أحداث العبور
nav-events = الأحداث
events-title = أحداث العبور
event-title = حدث
event-new-title = تسجيل حدث
event-edit-title = تصحيح حدث
event-times-in = الأوقات بتوقيت المنفذ، المنطقة
event-conflict-title = حفظ شخص آخر هذا الحدث أثناء تعديلك
event-conflict-explain = قيمه موجودة أدناه. تعديلاتك ما زالت في النموذج: قارنها بها ثم احفظ مرة أخرى لتحل محلها.
field-occurred-at = التاريخ والوقت
hint-occurred-at = بتوقيت المنفذ نفسه: اليوم، ثم الساعة والدقائق (نظام 24 ساعة).
field-direction = الاتجاه
field-category = الفئة
field-headcount = العدد
field-officers = الضباط منهم
field-wounded = الجرحى منهم
hint-optional-count = اختياري. اتركه فارغاً إن لم يكن معروفاً.
field-source = المصدر
hint-source = من أبلغ عن العبور، مثل سجل البوابة أو الضابط المناوب.
field-reference = رقم الوثيقة
field-notes = ملاحظات
field-reason = السبب
field-post = المنفذ الحدودي
field-void-reason = سبب الإلغاء
hint-reason-verified = مطلوب: هذا الحدث مدقق، فاذكر سبب تغييره.
hint-reason-optional = اختياري ما دام الحدث بانتظار التدقيق.
event-record = تسجيل الحدث
event-status = الحالة
event-day-closed = يوم هذا الحدث مغلق: لا يتغير حتى يعيد مشرف فتح اليوم.
event-recorded = سجّله
event-verified = دقّقه
event-voided = ألغاه
event-verify = تدقيق
event-void = إلغاء هذا الحدث
event-edit = تصحيح
direction-inbound = دخول
direction-outbound = خروج
category-military = عسكريون
category-civilian = مدنيون
category-plural-military = من العسكريين
category-plural-civilian = من المدنيين
status-pending = بانتظار التدقيق
status-verified = مدقق
status-voided = ملغى
filter-search = بحث
events-none = لا توجد أحداث.
events-count = { $count ->
    [zero] لا أحداث
    [one] حدث واحد
    [two] حدثان
    [few] { $count } أحداث
    [many] { $count } حدثاً
   *[other] { $count } حدث
}
events-count-more = أكثر من { $count } حدث
col-reference = المرجع
post-balances = الموجودون الآن
col-present-now = الموجودون الآن
col-total-in = مجموع الداخلين
col-total-out = مجموع الخارجين
events-pending = { $count ->
    [zero] لا أحداث بانتظار التدقيق
    [one] حدث واحد بانتظار التدقيق
    [two] حدثان بانتظار التدقيق
    [few] { $count } أحداث بانتظار التدقيق
    [many] { $count } حدثاً بانتظار التدقيق
   *[other] { $count } حدث بانتظار التدقيق
}
events-none-pending = لا شيء بانتظار التدقيق.
post-days = يوماً بيوم
col-day = اليوم
col-day-state = حالة اليوم
col-in = دخول
col-out = خروج
col-present-end = الموجودون في نهايته
day-closed = مغلق
day-open = مفتوح
day-close = إغلاق اليوم
day-reopen = إعادة فتح
post-latest-events = آخر الأحداث
events-all-of-post = كل أحداث هذا المنفذ
chart-title = الداخلون والخارجون والموجودون يومياً
chart-inbound = دخول
chart-outbound = خروج
chart-present = الموجودون
# The offset in parentheses is set left to right ("(+03)"), else it reads "(03+)" in Arabic.
format-datetime-post = { $date } { $time } { "\u2066" }({ $zone }){ "\u2069" }
format-day-month = { $day } { $month }
action-event-create = تسجيل حدث
action-event-update = تصحيح حدث
action-event-verify = تدقيق حدث
action-event-void = إلغاء حدث
action-day-close = إغلاق يوم
action-day-reopen = إعادة فتح يوم
error-balance-shortfall = في { $day } في { $post }، سيغادر { $leaving } { $category } لكن الموجودين { $present } فقط.
error-day-closed = يوم { $day } مغلق في { $post }: يجب أن يعيد مشرف فتحه أولاً.
error-form-expired = انتهت صلاحية هذا النموذج؛ راجعه وأرسله مرة أخرى.
error-post-inactive = هذا المنفذ الحدودي مغلق ولا يقبل سجلات جديدة.
error-reason-required = اذكر سبب تصحيح حدث مدقق.
error-event-not-pending = لا يُدقق إلا حدث بانتظار التدقيق.
error-event-already-voided = هذا الحدث ملغى أصلاً.
error-day-in-future = لا يُغلق اليوم قبل أن يبدأ.
error-day-already-closed = هذا اليوم مغلق أصلاً.
error-day-has-pending = { $count ->
    [one] حدث واحد من هذا اليوم بانتظار التدقيق: دققه أو ألغه أولاً.
    [two] حدثان من هذا اليوم بانتظار التدقيق: دققهما أو ألغهما أولاً.
    [few] { $count } أحداث من هذا اليوم بانتظار التدقيق: دققها أو ألغها أولاً.
    [many] { $count } حدثاً من هذا اليوم بانتظار التدقيق: دققها أو ألغها أولاً.
   *[other] { $count } حدث من هذا اليوم بانتظار التدقيق: دققها أو ألغها أولاً.
}
error-day-not-closed = هذا اليوم ليس مغلقاً.
error-event-changed-meanwhile = غيّر شخص آخر هذا الحدث في الأثناء؛ هذه حالته الآن.
field-source-reference = رقم الوثيقة
field-event-reference = مرجع الحدث
field-status = الحالة
field-closed = اليوم مغلق
value-yes = نعم
value-no = لا
post-facts = عن هذا المنفذ
error-timezone-fixed = لهذا المنفذ أحداث مسجلة؛ لم يعد بالإمكان تغيير منطقته الزمنية.

## الاتفاقات
nav-agreements = الاتفاقات
agreements-title = اتفاقات التنسيق
agreement-new-title = اتفاق جديد
agreement-edit-title = تعديل اتفاق
agreements-none = لا يشمل أي اتفاق منافذك بعد.
agreements-none-match = لا يوجد اتفاق يطابق هذه الاختيارات.
agreement-window = مدة السريان
agreement-progress = العائدون بموجبه
agreement-from = ابتداءً من { $day }
agreement-status-draft = مسودة
agreement-status-pending-activation = بانتظار مشرف ثانٍ
agreement-status-active = نافذ
agreement-status-suspended = معلّق
agreement-status-concluded = منتهٍ
agreement-request-active = طلب النفاذ (يؤكده مشرف ثانٍ)
field-title = العنوان
field-parties = الأطراف
field-signed-on = تاريخ التوقيع
field-effective-from = يسري من
field-effective-to = يسري حتى
hint-effective-to = اختياري: اتركه فارغاً ما دامت النهاية غير متفق عليها.
field-planned-headcount = العائدون المخطط لهم
field-covered-posts = المنافذ المشمولة
field-terms = الشروط
field-clauses = البنود
hint-clauses = بند واحد في كل سطر؛ الأسطر الفارغة تُهمل. احفظ لتظهر أسطر فارغة أخرى.
field-clause-kind = نوع البند
field-clause-text = نص البند
field-agreement-reference = مرجع الاتفاق
agreement-create = إنشاء الاتفاق
agreement-conflict-title = حفظ شخص آخر هذا الاتفاق أثناء تعديلك
agreement-conflict-explain = تعديلاتك ما زالت في النموذج. افتح الاتفاق لترى النسخة الأحدث، ثم أعد تعديلاتك.
agreement-edit = تعديل
agreement-proposed-by = بطلب من
agreement-confirm = تأكيد: جعله نافذاً
agreement-change-status = تغيير الحالة
agreement-apply-status = غيّر الحالة
agreement-returned = العائدون
agreement-at-your-posts = عبر منافذك
agreement-returned-in-your-posts = العائدون عبر منافذك
agreement-remaining = المتبقون
agreement-no-clauses = لا بنود مسجلة.
clause-no-reprisals = عدم الانتقام
clause-amnesty = عفو
clause-safe-passage = مرور آمن
clause-medical-care = رعاية طبية
clause-third-party-access = وصول طرف ثالث
clause-other = أخرى
finding-complied = التُزم به
finding-alleged-breach = خرق مزعوم
finding-confirmed-breach = خرق مؤكد
observation-new = تسجيل ملاحظة
field-clause = البند
field-finding = النتيجة
field-observed-on = تاريخ الملاحظة
field-observation = ما لوحظ
observation-record = تسجيل الملاحظة
agreement-timeline = تغيّرات الحالة
agreement-returns = عمليات العودة بموجبه
field-agreement = الاتفاق
hint-agreement = لعودة تمت بموجب اتفاق تنسيق نافذ في هذا المنفذ.
agreement-none = لا يوجد
flag-no-agreement = دون اتفاق
returns-uncited = { $count ->
    [zero] لا عمليات عودة عسكرية دون اتفاق
    [one] عملية عودة عسكرية واحدة دون اتفاق
    [two] عمليتا عودة عسكرية دون اتفاق
    [few] { $count } عمليات عودة عسكرية دون اتفاق
    [many] { $count } عملية عودة عسكرية دون اتفاق
   *[other] { $count } عملية عودة عسكرية دون اتفاق
}
action-agreement-create = إنشاء اتفاق
action-agreement-update = تعديل اتفاق
action-agreement-status = تغيير حالة اتفاق
action-agreement-confirm = جعل اتفاق نافذاً
action-agreement-observation = تسجيل ملاحظة امتثال
error-effective-to-before-from = لا يمكن أن ينتهي قبل أن يسري.
error-planned-invalid = استعمل عدداً صحيحاً من 1 إلى 1,000,000، أو اتركه فارغاً.
error-posts-required = اختر منفذاً حدودياً واحداً على الأقل.
error-clause-kind-invalid = اختر نوع كل بند.
error-agreement-reference-taken = يوجد اتفاق بهذا المرجع.
error-agreement-concluded = الاتفاق المنتهي لا يتغير.
error-clause-observed = لا يمكن حذف بند عليه ملاحظات.
error-agreement-transition = لا يمكن نقل هذا الاتفاق إلى تلك الحالة من حالته الحالية ({ $status }).
error-agreement-not-pending = لا يُؤكَّد إلا اتفاق بانتظار النفاذ.
error-finding-invalid = اختر النتيجة.
error-clause-unknown = اختر أحد بنود هذا الاتفاق.
error-agreement-changed-meanwhile = غيّر شخص آخر هذا الاتفاق في الأثناء؛ هذه حالته الآن.
error-agreement-unknown = اختر أحد الاتفاقات المعروضة.
error-agreement-inbound = لا تتم بموجب اتفاق إلا عملية عودة (خروج).
error-agreement-post-not-covered = الاتفاق { $agreement } لا يشمل { $post }.
error-agreement-before-window = يسري الاتفاق { $agreement } من { $from }، بعد هذه العودة ({ $day }).
error-agreement-after-window = انتهى الاتفاق { $agreement } في { $to }، قبل هذه العودة ({ $day }).
error-agreement-not-active = الاتفاق { $agreement } ليس نافذاً ({ $status }).

## التقارير
nav-reports = التقارير
report-headcount-title = تقرير الأعداد
report-totals = المجاميع
error-period-reversed = يجب أن يسبق اليوم الأول اليوم الأخير.
error-period-too-long = { $count } يوماً كحد أقصى في المرة الواحدة.
report-totals-title = المجاميع حسب الأسبوع أو الشهر
reports-see-totals = المجاميع حسب الأسبوع أو الشهر
reports-see-headcount = تقرير الأعداد اليومي
field-by = الفترة
totals-by-week = أسبوع (من الاثنين إلى الأحد)
totals-by-month = شهر
totals-col-period = الفترة
totals-week-of = أسبوع { $date }
totals-month-of = { $month } { $year }
totals-days-counted = من { $from } إلى { $to } فقط
totals-clipped-note = تُحسب الفترتان الأولى والأخيرة للأيام المختارة فقط، من { $from } إلى { $to }.
totals-posts-counted = المجموع على المنافذ الحدودية: { $posts }.
chart-title-periods = الداخلون والخارجون في كل فترة، والموجودون في نهايتها
error-by-unknown = اختر أسبوعاً أو شهراً.
error-period-too-long-years = { $count ->
    [one] سنة واحدة كحد أقصى في المرة الواحدة.
    [two] سنتان كحد أقصى في المرة الواحدة.
    [few] { $count } سنوات كحد أقصى في المرة الواحدة.
   *[other] { $count } سنة كحد أقصى في المرة الواحدة.
}
error-agreement-citations-outside = عمليات عودة تمت بموجب هذا الاتفاق ستقع خارجه.
events-pending-more = أكثر من { $count } حدث بانتظار التدقيق
returns-uncited-more = أكثر من { $count } عملية عودة عسكرية دون اتفاق

# Why an action is not offered (domain::policy::Denied)
denied-not-found = غير موجود.
denied-role = لا يسمح دورك بذلك.
denied-posts-outside-scope = يشمل منافذ خارج نطاقك؛ لا يغيّره إلا مشرف مسؤول عنها جميعها.
denied-voided = هذا الحدث ملغى.
denied-not-theirs = يغيّر موظفو الحالات قيودهم المعلّقة فقط.
denied-verified = لا يصحّح الحدث المدقق إلا مشرف.
denied-recorded-it = أنت من سجّل هذا الحدث؛ يجب أن يدققه مشرف آخر.
denied-changed-it = أنت من أجرى آخر تعديل على هذا الحدث؛ يجب أن يدققه مشرف آخر.
denied-proposed-it = أنت من طلب هذا التفعيل؛ يجب أن يؤكده مشرف آخر.
denied-edited-it = أنت من أجرى آخر تعديل على هذا الاتفاق؛ يجب أن يؤكده مشرف آخر.
status-corrected-pending = صُحّح، بانتظار التدقيق

# Verified and pending figures (domain::figures)
figure-pending-note = مدقق · { $all } مع { $pending } بانتظار التدقيق
figure-pending-note-out = مدقق · { $all } بعد مغادرة { $pending } بانتظار التدقيق
figure-pending-mark = +{ $pending } بانتظار التدقيق
figure-pending-mark-out = −{ $pending } بانتظار التدقيق
figure-line-verified = الموجودون، المدقق
figure-line-all = الموجودون، مع غير المدقق
day-verified = مدقق
day-has-pending = بانتظار التدقيق
figure-bar-pending = بانتظار التدقيق (فاتح)
nav-queue = قائمة العمل

# The work queue (/queue) and the messages after actions
queue-title = قائمة العمل
queue-kind = النوع
queue-events = أحداث بانتظار التدقيق
queue-agreements = اتفاقات بانتظار تأكيدك
queue-days = أيام جاهزة للإغلاق
queue-events-none = لا أحداث بانتظار التدقيق.
queue-agreements-none = لا اتفاقات بانتظار تأكيدك.
queue-days-none = لا أيام مفتوحة فيها أحداث.
queue-select = تدقيق
queue-what = التصحيح، أو سبب عدم العرض
queue-verify-selected = دقّق الأحداث المحددة
queue-next = مزيد من الأحداث
queue-days-ready = { $count ->
    [zero] لا أيام جاهزة
    [one] يوم واحد جاهز
    [two] يومان جاهزان
    [few] { $count } أيام جاهزة
    [many] { $count } يومًا جاهزًا
   *[other] { $count } يوم جاهز
}
queue-days-blocked = في يوم { $day } أحداث ما زالت بانتظار التدقيق: يتوقف الإغلاق قبله.
queue-close-up-to = أغلق كل الأيام الجاهزة حتى
queue-close = أغلق الأيام
queue-you-recorded = أنت من سجّله
queue-you-changed = أنت من أجرى آخر تعديل عليه
queue-you-proposed = أنت من طلبه
queue-you-edited = أنت من أجرى آخر تعديل عليه
queue-not-yours = منافذه ليست كلها ضمن نطاقك
notice-event-recorded = سُجّل { $reference }. وهو بانتظار التدقيق.
notice-record-another = سجّل حدثًا آخر في هذا المنفذ
notice-event-corrected = صُحّح { $reference }. وهو بانتظار التدقيق.
notice-event-verified = دُقّق { $reference }.
notice-event-voided = أُلغي { $reference }.
notice-day-closed = أُغلق يوم { $day } في { $post }.
notice-day-reopened = أُعيد فتح يوم { $day } في { $post }.
notice-days-closed = { $count ->
    [zero] لم يُغلق أي يوم في { $post }.
    [one] أُغلق يوم واحد في { $post } حتى { $day }.
    [two] أُغلق يومان في { $post } حتى { $day }.
    [few] أُغلقت { $count } أيام في { $post } حتى { $day }.
    [many] أُغلق { $count } يومًا في { $post } حتى { $day }.
   *[other] أُغلق { $count } يوم في { $post } حتى { $day }.
}
notice-batch-verified = { $count ->
    [zero] لم يُدقَّق أي حدث.
    [one] دُقّق حدث واحد.
    [two] دُقّق حدثان.
    [few] دُقّقت { $count } أحداث.
    [many] دُقّق { $count } حدثًا.
   *[other] دُقّق { $count } حدث.
}
notice-batch-skipped = { $count ->
    [one] تُرك حدث واحد: { $reasons }.
    [two] تُرك حدثان: { $reasons }.
    [few] تُركت { $count } أحداث: { $reasons }.
    [many] تُرك { $count } حدثًا: { $reasons }.
   *[other] تُرك { $count } حدث: { $reasons }.
}
notice-batch-none = لم يُحدَّد أي حدث.
notice-agreement-created = حُفظ { $reference } مسودةً.
notice-agreement-saved = حُفظ { $reference }.
notice-agreement-status = أصبح { $reference }: { $status }.
notice-agreement-pending = { $reference } بانتظار تأكيد مشرف ثانٍ.
notice-agreement-confirmed = أصبح { $reference } نافذًا.
notice-observation = سُجّلت ملاحظة على { $reference }.
skipped-changed-meanwhile = تغيّر في الأثناء
skipped-not-verifiable = لم يعد بانتظار التدقيق، أو يومه مغلق
skipped-not-allowed = ليس لك تدقيقه
error-days-none-open = لا أيام مفتوحة فيها أحداث حتى { $day }.
action-refused = لم يُنفَّذ ذلك
choose = اختر…
error-agreement-not-observable = يُرصد الالتزام بعد أن يصبح الاتفاق نافذًا.
# Before → after, pointing the way the language reads.
arrow-to = ←

# Countries by ISO 3166-1 alpha-2 code (generated once from the ISO list; codes are what is stored).
country-AD = أندورا
country-AE = الإمارات العربيّة المتحدّة
country-AF = أفغانستان
country-AG = أنتيغوا و باربودا
country-AI = أنغويلا
country-AL = ألبانيا
country-AM = أرمينيا
country-AO = أنغولا
country-AQ = القطب الجنوبي
country-AR = الأرجنتين
country-AS = صاموا الأمريكيّة
country-AT = النّمسا
country-AU = أستراليا
country-AW = أروبا
country-AX = جزر آلاند
country-AZ = أذربيجان
country-BA = البوسنة و الهرسك
country-BB = بربادوس
country-BD = بنغلادش
country-BE = بلجيكا
country-BF = بوركينا فاصو
country-BG = بلغاريا
country-BH = البحرين
country-BI = بوروندي
country-BJ = بنين
country-BL = سان بارتليمي
country-BM = برمودا
country-BN = بروناي دار السّلام
country-BO = بوليفيا
country-BQ = بونير وسانت يوستاتيوس وسابا
country-BR = البرازيل
country-BS = جزر البهاما
country-BT = بوتان
country-BV = جزيرة بوفي
country-BW = بوتسوانا
country-BY = روسيا البيضاء
country-BZ = بيليز
country-CA = كندا
country-CC = جزر الكوكوس
country-CD = الكونغو، جمهوريّة الكونغو الدّيموقراطيّة
country-CF = جمهورية إفريقيّا الوسطى
country-CG = الكونغو
country-CH = سويسرا
country-CI = ساحل العاج
country-CK = جزر كوك
country-CL = تشيلي
country-CM = الكاميرون
country-CN = الصّين
country-CO = كولومبيا
country-CR = كوستاريكا
country-CU = كوبا
country-CV = الرأس الأخضر
country-CW = جزر كوراكاو
country-CX = جزر الكريسماس
country-CY = قبرص
country-CZ = التشيك
country-DE = ألمانيا
country-DJ = جيبوتي
country-DK = الدّنمارك
country-DM = دومينيكا
country-DO = جمهوريّة الدّومينيكان
country-DZ = الجزائر
country-EC = الإكوادور
country-EE = إستونيا
country-EG = مصر
country-EH = الصّحراء الغربيّة
country-ER = إريتريا
country-ES = إسبانيا
country-ET = إثيوبيا
country-FI = فنلندا
country-FJ = فيجي
country-FK = جزر فولكلاند (مالفيناس)
country-FM = ميكرونيزيا، ولايات ميكرونيزيا الموحّدة
country-FO = جزر الفارو
country-FR = فرنسا
country-GA = الغابون
country-GB = المملكة المتّحدة
country-GD = غرينادا
country-GE = جورجيا
country-GF = غيانا الفرنسيّة
country-GG = جزيرة جويرزني
country-GH = غانا
country-GI = جبل طارق
country-GL = غرينلاند
country-GM = غامبيا
country-GN = غينيا
country-GP = جوادالوبّي
country-GQ = غينيا الاستوائيّة
country-GR = اليونان
country-GS = جورجيا الجنوبيّة و جزر ساندويتش الجنوبيّة
country-GT = غواتيمالا
country-GU = جوام
country-GW = غينيا بيساو
country-GY = غويانا
country-HK = هونغ كونغ
country-HM = جزيرة هيرد وجزر مَكْدونالد
country-HN = هندوراس
country-HR = كرواتيا
country-HT = هايتي
country-HU = المجر (هنغاريا)
country-ID = إندونيسيا
country-IE = أيرلندا
country-IL = إسرائيل
country-IM = آيزل أف مان
country-IN = الهند
country-IO = مقاطعة المحيط الهندي البريطانيّة
country-IQ = العراق
country-IR = إيران
country-IS = آيسلندا
country-IT = إيطاليا
country-JE = جيرسي
country-JM = جامايكا
country-JO = الأردن
country-JP = اليابان
country-KE = كينيا
country-KG = قيرغزستان
country-KH = كمبوديا
country-KI = كيريباتي
country-KM = جزر القمر
country-KN = سانت كيتس و نيفس
country-KP = كوريا، جمهورية كوريا الشّعبيّة الدّيموقراطيّة
country-KR = كوريا، جمهوريّة كوريا
country-KW = الكويت
country-KY = جزر الكيمان
country-KZ = كازاخستان
country-LA = جمهوريّة لاو الدّيموقراطيّة الشّعبيّة
country-LB = لبنان
country-LC = سانت لوسيا
country-LI = ليشتنشتاين
country-LK = سريلانكا
country-LR = ليبيريا
country-LS = ليسوتو
country-LT = لثوانيا
country-LU = لوكسمبورغ
country-LV = لاتفيا
country-LY = ليبيا
country-MA = المغرب
country-MC = موناكو
country-MD = المالديف
country-ME = المنتنيغرو
country-MF = سانت مارتين (القطاع الفرنسي)
country-MG = مدغشقر
country-MH = جزر المارشال
country-MK = مقدونيا الشمالية
country-ML = مالي
country-MM = ميانمار
country-MN = منغوليا
country-MO = مكّاو
country-MP = جزر ماريانا الشّماليّة
country-MQ = مارتينيك
country-MR = موريتانيا
country-MS = مونتسيرات
country-MT = مالطة
country-MU = موريشيوس
country-MV = جزر المالديف
country-MW = ملاوي
country-MX = المكسيك
country-MY = ماليزيا
country-MZ = موزمبيق
country-NA = ناميبيا
country-NC = نيو قلدونيا
country-NE = النّيجر
country-NF = جزيرة نورفولك
country-NG = نيجيريا
country-NI = نيكاراجوا
country-NL = هولندا
country-NO = النّرويج
country-NP = نيبال
country-NR = ناورو
country-NU = نيوي
country-NZ = نيوزيلاندا
country-OM = عمان
country-PA = بنما
country-PE = البيرو
country-PF = بولينيسيا الفرنسيّة
country-PG = بابوا غينيا الجديدة
country-PH = الفلبّين
country-PK = باكستان
country-PL = بولندا
country-PM = سانت بيير و ميكيلون
country-PN = بتكيرن
country-PR = بورتوريكو
country-PS = دولة فلسطين
country-PT = البرتغال
country-PW = بالاو
country-PY = الباراغواي
country-QA = قطر
country-RE = ريونيون
country-RO = رومانيا
country-RS = صربية
country-RU = الاتّحاد الرّوسي
country-RW = رواندا
country-SA = السّعوديّة
country-SB = جزر سولومن
country-SC = السّيشل
country-SD = السّودان
country-SE = السّويد
country-SG = سنغافورة
country-SH = ساينت هيلينا، تريستان دا كونا
country-SI = سلوفينيا
country-SJ = سفالبارد و جان ماين
country-SK = سلوفاكيا
country-SL = سيراليون
country-SM = سان مارينو
country-SN = السّنغال
country-SO = الصّومال
country-SR = سورينام
country-SS = جنوب السّودان
country-ST = ساو تومي و برنسبي
country-SV = السّلفادور
country-SX = سانت مارتن (الجزء الهولندي)
country-SY = سوريا
country-SZ = إسواتيني
country-TC = جزر التّرك و الكايكوس
country-TD = تشاد
country-TF = المقاطعات الفرنسيّة الجنوبيّة
country-TG = توغو
country-TH = تايلاند
country-TJ = طاجيكستان
country-TK = جزر توكيلو
country-TL = تيمور-ليستي
country-TM = تركمانستان
country-TN = تونس
country-TO = تونغا
country-TR = تركيا
country-TT = ترينيداد و توباغو
country-TV = توفالو
country-TW = تايوان
country-TZ = تنزانيا
country-UA = أوكرانيا
country-UG = أوغندا
country-UM = جزر الولايات المتّحدة الصّغرى النّائية
country-US = الولايات المتّحدة
country-UY = الأوروغواي
country-UZ = أوزبكستان
country-VA = المقعد المقدّس (ولاية مدينة الفاتيكان)
country-VC = سانت فنسنت و جزر الغرينادين
country-VE = فنزويلّا
country-VG = فيرجن، جزر فيرجن البريطانيّة
country-VI = فيرجن، جزر فيرجن الأميركيّة
country-VN = الفيتنام
country-VU = فانواتو
country-WF = واليس و فوتونا
country-WS = صاموا
country-YE = اليمن
country-YT = مايوت
country-ZA = جنوب إفريقيا
country-ZM = زامبيا
country-ZW = زمبابوي
arrow-both = ↔
audit-hidden-entries = لا تظهر هنا القيود التي لا تخص منافذك.
error-later-day-closed = يوم { $day } مغلق في { $post }، وهذا التغيير يبدّل عدد الموجودين في نهايته: يجب أن يعيد مشرف فتحه أولاً.

# A submission kept across a new sign-in (the session had ended)
login-session-ended = انتهت جلستك أثناء غيابك. سجّل الدخول مجددًا: ما كنت ترسله محفوظ.
resume-title = أرسل ما كتبته
resume-intro = سجّلت الدخول مجددًا. هذا ما كنت ترسله حين انتهت جلستك؛ لم يُحفظ شيء بعد.
resume-send = أرسله الآن
resume-drop = لا ترسله
resume-intro-other-sign-in = فُتح هذا النموذج قبل آخر تسجيل دخول لك (أو في نافذة أخرى)، لذا لم يُحفظ شيء. هذا ما كنت ترسله:
skipped-failed = تعذّر حفظه؛ حاول مجددًا

## الأشخاص (السجل والبحث والتكرار والدمج)
nav-people = الأشخاص
people-title = الأشخاص
people-search = الاسم
people-search-hint = بأي تهجئة، بالحروف العربية أو اللاتينية: «حسين» يجد Hussein والعكس. التهجئة المطابقة تظهر أولاً.
people-none = لا أحد يطابق البحث.
people-names = الأسماء
person-register = تسجيل شخص
person-new-title = تسجيل شخص
person-edit-title = تعديل سجل شخص
person-edit = تعديل السجل
person-status = الحالة
person-field-name-ar = الاسم بالعربية
person-field-name-latin = الاسم بالحروف اللاتينية
person-field-father-name = اسم الأب
person-field-grandfather-name = اسم الجد
person-field-family-name = اللقب
person-field-mother-name = اسم الأم
person-field-birth-date = تاريخ الميلاد
person-field-birth-year = سنة الميلاد
person-field-sex = الجنس
person-field-rank = الرتبة
person-field-unit = الوحدة
person-field-service-number = الرقم العسكري
person-field-id-document-type = وثيقة الهوية
person-field-id-document-number = رقم الوثيقة
person-field-nationality = الجنسية
person-field-medical = الحالة الصحية
person-field-vulnerabilities = مواطن الضعف
person-field-inbound-event-id = وصل مع
person-field-notes = ملاحظات
person-hint-name-ar = الاسم الكامل كما يذكره الشخص، بالعربية أو بالحروف اللاتينية أو بكليهما.
person-hint-birth-date = مثل 1998-03-04 إن كان معروفاً؛ وإلا فسنة الميلاد أدناه.
person-hint-birth-year = أربعة أرقام، مثل 1998.
person-hint-nationality = رمز الدولة من حرفين، مثل SY أو IQ.
person-hint-vulnerabilities = كل ما يستدعي عناية: قاصر، إعاقة، تهديد موجّه إليه.
person-hint-inbound-event-id = الدخول الذي وصل معه إلى هذا المنفذ.
person-arrival-none = غير معروف
not-recorded = غير مسجّل
sex-male = ذكر
sex-female = أنثى
document-national-id = البطاقة الوطنية
document-military-id = الهوية العسكرية
document-passport = جواز السفر
document-other = وثيقة أخرى
medical-none = لا شيء يُذكر
medical-needs-care = يحتاج إلى رعاية
medical-wounded = جريح
medical-evacuated = نُقل إلى المستشفى
person-status-present = موجود
person-status-wishes-to-return = يرغب في العودة
person-status-declines-return = يرفض العودة
person-status-returned = أُعيد
person-status-transferred = نُقل إلى جهة أخرى
person-status-deceased = متوفى
person-status-absconded = غادر دون إذن
person-declines-notice = صرّح هذا الشخص بأنه لا يرغب في العودة. لا يجوز أن تشمله أي عملية إعادة.
person-merged-into = دُمج هذا السجل في
person-transferred-to = نُقل إلى
person-statements = ما صرّح به الشخص بشأن العودة
person-statements-none = لم يُسجَّل أي تصريح بعد.
person-wish = الرغبة
person-stated-on = تاريخ التصريح
person-heard-by = استمع إليه
person-how = الطريقة
person-recorded-by = سجّله
how-interview = في مقابلة
how-written = كتابةً
how-third-party = عن طريق طرف ثالث
person-change-status = تغيير الحالة
person-new-status = الحالة الجديدة
person-statement-hint = لرغبة العودة أو رفضها: التاريخ ومن استمع إليه والطريقة. للنقل: الجهة. يلزم ذكر السبب لإغلاق الملف.
person-conflict-explain = عدّل شخص آخر سجل هذا الشخص بعد أن فتحت النموذج. قيمه أدناه؛ وتعديلاتك باقية في النموذج.
match-exact = التهجئة نفسها
match-folded = تهجئة أخرى
match-cross = بالحروف الأخرى
duplicates-found-title = قد يكون هذا شخصاً مسجّلاً من قبل
duplicates-found-explain = لم يُحفظ شيء. افتح السجل إن كان الشخص نفسه؛ وإن كان شخصاً آخر فأشّر على المربع أدناه واحفظ من جديد.
duplicates-confirm-not = تحققتُ: هذا ليس الشخص نفسه في السجلات أعلاه.
duplicate-certain = الشخص نفسه
duplicate-probable = على الأرجح الشخص نفسه
duplicate-reason-document = رقم الوثيقة نفسه
duplicate-reason-service-number = الرقم العسكري نفسه
duplicate-reason-name = الاسم نفسه، وسنتا الميلاد متقاربتان
duplicates-title = سجلات قد تكون مكررة
duplicates-explain = سجلات بالاسم نفسه (بأي تهجئة وبأي حروف) وسنتا ميلادهما لا تتباعدان أكثر من سنة. قارن بينها وادمجها، أو سجّل أنهما شخصان مختلفان.
duplicates-probable = أزواج محتملة
duplicates-none = لا سجلات يُرجّح تكرارها.
duplicates-not-same = ليسا الشخص نفسه
col-actions = الإجراءات
merges-awaiting = عمليات دمج بانتظار مشرف ثانٍ
merges-none = لا شيء.
merge-proposal = دمج
merge-title = دمج سجلين لشخص واحد
merge-explain = اختر لكل حقل مختلف القيمة التي سيحملها السجل المُبقى. يبقى السجل الآخر مقروءاً ويشير إلى السجل المُبقى. يجب أن يؤكد مشرف ثانٍ.
merge-field = الحقل
merge-kept = السجل المُبقى
merge-merged = السجل المدموج
merge-same-values = كل الحقول تحمل القيمة نفسها في السجلين.
merge-compare = مقارنة
merge-propose = اقتراح الدمج
merge-confirm = تأكيد الدمج
merge-withdraw = سحب الاقتراح
merge-you-proposed = أنت من اقترح هذا الدمج؛ يجب أن يؤكده مشرف آخر.
merge-status-proposed = بانتظار التأكيد
merge-status-confirmed = مؤكَّد
merge-status-withdrawn = مسحوب
pager-first = الصفحة الأولى
pager-next = الصفحة التالية
notice-person-registered = سُجّل { $reference }.
notice-person-saved = حُفظ { $reference }.
notice-person-status = تغيّرت حالة { $reference }.
notice-not-duplicate = سُجّل أنهما شخصان مختلفان.
notice-merge-confirmed = دُمج السجلان.
notice-merge-withdrawn = سُحب اقتراح الدمج.
denied-merged = دُمج هذا السجل في سجل آخر؛ عدّل ذاك السجل.
error-name-required = اكتب الاسم بالعربية أو بالحروف اللاتينية (أو بكليهما).
error-choice-invalid = اختر إحدى القيم المعروضة.
error-birth-year-invalid = اكتب سنة من { $from } إلى { $to }.
error-birth-year-mismatch = سنة الميلاد لا توافق تاريخ الميلاد.
error-date-in-future = هذا التاريخ في المستقبل.
error-event-unknown = اختر أحد الدخولات المعروضة.
error-status-transition = لا يمكن أن ينتقل شخص حالته «{ $from_status }» إلى «{ $to_status }».
error-status-returned-by-manifest = لا يُعدّ الشخص مُعاداً إلا بالتحقق من عملية إعادة يرد اسمه في قائمتها.
error-transferred-to-required = اذكر الجهة التي نُقل إليها الشخص.
error-person-changed-meanwhile = عدّل شخص آخر هذا السجل في الأثناء؛ هذا هو السجل كما هو الآن.
error-merge-same-record = السجل هو نفسه.
error-merge-other-post = لا تُدمج سجلات منفذين مختلفين.
error-merge-status-differs = حالتا السجلين مختلفتان: وحّدهما أولاً.
error-merge-decided = سبق البتّ في هذا الدمج.
action-person-create = تسجيل شخص
action-person-update = تعديل سجل شخص
action-person-status = تغيير حالة شخص
action-person-view = الاطلاع على سجل شخص
action-person-not-duplicate = تسجيل أنهما شخصان مختلفان
action-person-merge-propose = اقتراح دمج
action-person-merge = دمج سجلين
action-person-merge-withdraw = سحب اقتراح دمج
field-person-reference = رقم الشخص
field-merged-into = دُمج في

## القوائم الاسمية ومحضر التسليم
manifest-title = الأشخاص المسمّون
manifest-title-return = القائمة الاسمية لعملية الإعادة
manifest-title-arrival = القائمة الاسمية للدخول
manifest-named = المسمّون
manifest-named-of = المسمّون: { $named } من { $headcount }
manifest-none = لم يُسمَّ أحد بعد.
manifest-add = تسمية أشخاص
manifest-choose = إضافة
manifest-add-chosen = أضف المؤشَّر عليهم
manifest-remove = إزالة من القائمة
notice-manifest-added = { $count ->
    [zero] لم يُضف أحد إلى القائمة.
    [one] أُضيف شخص واحد إلى القائمة.
    [two] أُضيف شخصان إلى القائمة.
    [few] أُضيف { $count } أشخاص إلى القائمة.
   *[other] أُضيف { $count } شخصاً إلى القائمة.
}
denied-list-locked = قائمة الحدث المدقق مقفلة مع أرقامه؛ ويعيده المشرف إلى الانتظار حين يصحّحه.
error-person-unknown = لا يوجد هذا الشخص في هذا المنفذ.
error-person-merged = دُمج هذا السجل في سجل آخر.
error-person-declines-return = صرّح { $person } بأنه لا يرغب في العودة: لا يجوز أن تشمله أي عملية إعادة.
error-person-not-present = حالة { $person } «{ $to_status }»: لا يُعاد إلا شخص موجود.
error-person-on-another-return = { $person } مسمّى من قبل في عملية الإعادة { $event }.
error-person-came-with-another = وصل { $person } مع الدخول { $event }.
error-manifest-full = إضافة { $person } تجعل عدد المسمّين أكبر من عدد أشخاص الحدث ({ $headcount }).
error-manifest-nothing-chosen = اختر شخصاً واحداً على الأقل لإضافته.
error-return-names-someone-not-returnable = { $person } في قائمة هذه الإعادة وحالته «{ $to_status }»: أزله من القائمة أولاً.
error-direction-has-named-people = في هذا الحدث أشخاص مسمّون: أزلهم من القائمة قبل تغيير الاتجاه.
error-headcount-below-named = في هذا الحدث { $count } أشخاص مسمّون: لا يمكن أن يقل العدد عن ذلك.
action-manifest-add = تسمية في قائمة حدث
action-manifest-remove = إزالة من قائمة حدث
handover-title = محضر تسليم العائدين
handover-print-hint = اطبع هذه الصفحة على ورق A4 ووقّعها من الجانبين.
handover-reference = عملية الإعادة
handover-from = سُلّموا في
handover-to = استلمهم
handover-when = التاريخ والوقت
handover-agreement = بموجب الاتفاق
handover-no-agreement = لا تستند هذه الإعادة إلى اتفاق.
handover-col-name = الاسم
handover-col-document = الوثيقة
handover-col-medical = الاحتياجات الطبية
handover-list-hash = بصمة القائمة
handover-named = المسمّون:
handover-headcount = العدد:
handover-unnamed = غير المسمّين:
handover-handing-officer = الضابط المسلِّم
handover-receiving-officer = الضابط المستلِم
handover-witness = الشاهد (مثل اللجنة الدولية للصليب الأحمر)
handover-sign-name = الاسم
handover-sign-signature = التوقيع والتاريخ

## المتابعة بعد العودة
person-named-on-return = مسمّى في عملية الإعادة
person-followups = ما ورد عنه بعد العودة
person-followups-none = لم يرد شيء بعد.
followup-observed-on = تاريخ الورود
followup-source = المصدر
followup-finding = الخلاصة
followup-text = ما ورد
followup-record = تسجيل ما ورد
followup-source-family = العائلة
followup-source-icrc = اللجنة الدولية للصليب الأحمر
followup-source-media = وسائل الإعلام
followup-source-person = الشخص نفسه
finding-safe = بأمان
finding-no-news = لا أخبار
finding-alleged-reprisal = ادعاء بانتقام
finding-confirmed-reprisal = انتقام مؤكد
notice-followup = سُجّل ما ورد عن { $reference }.
error-person-not-returned = المتابعة للأشخاص الذين أُعيدوا.
action-person-followup = ما ورد بعد العودة
agreement-followups = متابعة العائدين
agreement-monitoring = ورد عن { $followed } من { $returnees }؛ آخر ما ورد أنهم بأمان: { $safe }

## استيراد قائمة واردة
import-title = استيراد قائمة أشخاص
import-explain = ارفع القائمة كما وردت — ملف CSV (UTF-8 أو Windows-1256 كما يكتبه Excel العربي) أو مصنف ‎.xlsx. سترى كل صف قبل أن يُحفظ أي شيء.
import-file = الملف
import-file-hint = CSV أو ‎.xlsx، بحد أقصى 5 ميغابايت و20٬000 صف؛ الصف الأول يسمّي الأعمدة.
import-event = تُضاف الصفوف إلى قائمة
import-event-none = لا حدث
import-upload = رفع ومعاينة
import-preview-title = راجع القائمة قبل استيرادها
import-columns = ما يحمله كل عمود
import-column = العمود
import-fills = يملأ
import-ignore = تجاهل هذا العمود
import-remap = اقرأ الصفوف من جديد بهذه الأعمدة
import-rows = الصفوف
import-outcome = النتيجة
import-new = شخص جديد
import-create-anyway = شخص آخر: سجّله شخصاً جديداً
import-confirm = استيراد كل الصفوف
import-fix-first = في بعض الصفوف أخطاء: صحّح الملف (أو الأعمدة) وارفعه من جديد؛ لا يُستورد شيء حتى تصح كل الصفوف.
import-done = استُوردت هذه القائمة.
import-summary = { $rows } صف: { $matched } يطابق أشخاصاً مسجّلين، و{ $errors } فيها أخطاء.
import-rows-hidden = { $count } صفاً آخر فُحص ولم يُعرض.
notice-imported = استُورد: سُجّل { $created } شخصاً، و{ $linked } كانوا مسجّلين.
error-import-no-file = اختر الملف المراد استيراده.
error-import-too-large = حجم الملف أكبر من { $max_mb } ميغابايت: قسّمه أو أرسله على أجزاء.
error-import-too-many-rows = في الملف أكثر من { $max_rows } صف: قسّمه إلى أجزاء.
error-import-empty = لا صفوف في الملف.
error-import-unreadable = لا يمكن قراءة هذا الملف: أرسل ملف CSV أو مصنف ‎.xlsx.
error-import-done = استُوردت هذه القائمة من قبل.
error-import-rows-invalid = في { $count } صفوف أخطاء؛ لم يُستورد شيء.
action-import-upload = رفع قائمة للمعاينة
action-import-confirm = استيراد قائمة
action-reconcile = مطابقة إعادة مع قائمة الجانب الآخر
action-reconcile-resolve = النظر في فرق

## المطابقة مع قائمة الجانب الآخر
reconcile-title = المطابقة مع القائمة الواردة
reconcile-explain = ارفع قائمة من استلمهم الجانب الآخر. تُطابق مع قائمة هذه الإعادة — رقم الوثيقة أو الرقم العسكري أولاً، ثم الاسم بأي حروف مع سنة الميلاد — وتُعرض الفروق لينظر فيها مشرف.
reconcile-file = قائمتهم
reconcile-run = مطابقة
reconcile-ours-only = في قائمتنا فقط
reconcile-theirs-only = في قائمتهم فقط
reconcile-matched = في القائمتين
reconcile-none = لا شيء.
reconcile-ours = قائمتنا
reconcile-theirs = قائمتهم
reconcile-row = صفهم
reconcile-reason = طوبق بـ
reconcile-reason-document = رقم الوثيقة
reconcile-reason-service-number = الرقم العسكري
reconcile-reason-name-and-year = الاسم وسنة الميلاد
reconcile-reason-name = الاسم
reconcile-their-row = صفهم { $row }
reconcile-note = ملاحظة
reconcile-resolve = نُظر فيه
reconcile-resolved = نُظر فيه
manifest-reconcile = المطابقة مع قائمتهم
manifest-import = استيراد قائمة واردة

state-title = الجداول مقابل السجل
state-consistent = كل عمود مشمول يحمل القيمة التي سجّلها سجل التدقيق له آخر مرة.
state-differs = { $count ->
    [zero] لا فروق عن سجل التدقيق.
    [one] فرق واحد عن سجل التدقيق: عُدّل صف من خارج النظام.
    [two] فرقان عن سجل التدقيق: عُدّلت صفوف من خارج النظام.
    [few] { $count } فروق عن سجل التدقيق: عُدّلت صفوف من خارج النظام.
    [many] { $count } فرقاً عن سجل التدقيق: عُدّلت صفوف من خارج النظام.
   *[other] { $count } فرق عن سجل التدقيق: عُدّلت صفوف من خارج النظام.
}
state-explain = كل تغيير يسجّل القيم الجديدة لحقوله. إعادة تطبيقها تبني ما يجب أن تحمله المنافذ والأحداث والاتفاقات والمستخدمون الآن؛ وكل صف يخالفها، أو يوجد بلا قيد، كتبه شيء غير النظام. وتذكر وثائق النظام الأعمدة المشمولة.
state-rows = { $count ->
    [zero] لا صفوف
    [one] صف واحد قورن
    [two] صفان قورنا
    [few] { $count } صفوف قورنت
    [many] { $count } صفاً قورنت
   *[other] { $count } صف قورنت
}
state-col-table = الجدول
state-col-record = السجل
state-col-problem = الفرق
state-field-differs = الحقل { $field } يخالف السجل
state-no-entry = لا قيد تدقيق أعطاه قيمه
state-missing = في السجل، ومفقود من الجدول
checkpoints-receipt = آخر إيصال
checkpoints-receipt-explain = الإيصال هو آخر نقطة تحقق في ملف نصي صغير موقّع. احفظه حيث لا يصل إليه هذا الخادم؛ ولاحقاً يكشف التحقق به كل قيد قُطع من آخر السجل أو أُعيدت كتابته.
audit-stamp = قيد التدقيق { $seq }، البصمة { $head }
state-table-border_posts = المنافذ الحدودية
state-table-crossing_events = أحداث العبور
state-table-agreements = الاتفاقات
state-table-users = المستخدمون
## عامل التحقق الثاني (رموز TOTP ورموز الاسترداد)
action-auth-second-factor-asked = كلمة المرور صحيحة وطُلب عامل التحقق الثاني
action-account-two-factor-enable = إعداد عامل التحقق الثاني
action-user-two-factor-reset = إعادة تعيين عامل التحقق الثاني من مدير النظام
denied-own-second-factor = يعيد تعيينَ عامل التحقق الثاني الخاص بك مديرُ نظام آخر.
error-code-wrong = هذا الرمز غير صحيح أو استُخدم من قبل. اكتب الرمز الذي يظهره التطبيق الآن.
error-two-factor-already = عامل التحقق الثاني معدّ لهذا الحساب من قبل.
error-two-factor-none = لا عامل تحقق ثانياً لهذا الحساب.
second-step-title = الخطوة الثانية: الرمز
hint-code-sign-in = الأرقام الستة التي يظهرها تطبيق المصادقة الآن، أو أحد رموز الاسترداد (كل منها يصلح مرة واحدة).
second-step-submit = تسجيل الدخول
second-step-cancel = الدخول باسم مستخدم آخر
second-step-lost = فقدت هاتفك ورموز الاسترداد؟ اطلب من مدير النظام إعادة تعيين عامل التحقق الثاني.
two-factor-title = عامل التحقق الثاني
two-factor-required = يجب أن يكون لدورك عامل تحقق ثانٍ. أعدّه الآن: لا تُفتح أي صفحة أخرى قبل ذلك.
two-factor-enabled = أُعدّ عامل التحقق الثاني. من الآن يُطلب عند الدخول رمز من التطبيق.
recovery-codes-title = رموز الاسترداد
recovery-codes-intro = دوّن هذه الرموز العشرة أو اطبع هذه الصفحة الآن واحفظها بعيداً عن هاتفك: لن تظهر مرة أخرى. كل رمز يصلح مرة واحدة بدل رمز التطبيق إن فُقد الهاتف.
two-factor-continue = متابعة
two-factor-enabled-since = أُعدّ في { $since }.
recovery-codes-left = رموز الاسترداد الباقية
two-factor-lost = فقدت هاتفك؟ يستطيع مدير النظام إعادة تعيين عامل التحقق الثاني ثم تعدّه من جديد.
two-factor-intro-required = يجب أن يكون لدورك عامل تحقق ثانٍ: رمز من تطبيق مصادقة على هاتفك يُطلب عند كل دخول بعد كلمة المرور.
two-factor-intro-optional = يحمي عامل التحقق الثاني حسابك إن عُرفت كلمة المرور: رمز من تطبيق مصادقة على هاتفك يُطلب عند كل دخول بعد كلمة المرور.
two-factor-step-scan = افتح تطبيق المصادقة (مثل FreeOTP أو Aegis أو Google Authenticator) وامسح هذا الرمز.
two-factor-step-type = أو اكتب هذا المفتاح في التطبيق (مبني على الوقت، ستة أرقام، 30 ثانية):
two-factor-step-confirm = اكتب الرمز الذي يظهره التطبيق الآن للتأكيد.
hint-code-enrol = ستة أرقام.
two-factor-enable-button = تفعيل عامل التحقق الثاني
hint-two-factor-reset = عند فقدان الهاتف. يُخرج المستخدم من جميع جلساته ويعدّ عاملاً جديداً عند دخوله التالي.
two-factor-reset-button = إعادة تعيين عامل التحقق الثاني
two-factor-not-set-up = لا عامل تحقق ثانياً معدّاً.
notice-two-factor-reset = أُعيد تعيين عامل التحقق الثاني، وأُخرج المستخدم من جميع جلساته.
two-factor-on = عامل التحقق الثاني معدّ.
two-factor-off = لا عامل تحقق ثانياً معدّاً.
two-factor-manage = عرض عامل التحقق الثاني
two-factor-set-up = إعداد عامل تحقق ثانٍ

## بيان الوضع (الجمل التي تكتبها وزارة أو اللجنة الدولية للصليب الأحمر، من السجل)
month-long-1 = كانون الثاني
month-long-2 = شباط
month-long-3 = آذار
month-long-4 = نيسان
month-long-5 = أيار
month-long-6 = حزيران
month-long-7 = تموز
month-long-8 = آب
month-long-9 = أيلول
month-long-10 = تشرين الأول
month-long-11 = تشرين الثاني
month-long-12 = كانون الأول
situation-page-title = بيان الوضع
situation-explain = بيان بالأرقام المُتحقق منها في نهاية يوم، بالعربية والإنجليزية، مكتوب من السجل. كل رقم فيه رابط إلى الصفحة التي جاء منها.
situation-as-of = حتى نهاية يوم
situation-posts = المنافذ
situation-posts-all = كل المنافذ التي أراها
situation-lang = اللغة
situation-lang-both = العربية والإنجليزية
situation-show = اكتب البيان
situation-text = نص عادي
situation-print = طباعة
error-situation-future = البيان يكون عن يوم بدأ، اليوم على الأكثر.
error-situation-lang-invalid = اختر العربية أو الإنجليزية أو كلتيهما.
situation-heading = الوضع حتى { $date }
situation-lead = أرقام مُتحقق منها فقط، حتى نهاية يوم { $date } بتوقيت كل منفذ.
situation-post-heading = { $post } ({ $code })
situation-when =
    { $span ->
        [day] في { $day } { $month } { $year }
        [pair] في { $from_day } و{ $day } { $month } { $year }
        [month] بين { $from_day } و{ $day } { $month } { $year }
        [year] بين { $from_day } { $from_month } و{ $day } { $month } { $year }
       *[years] بين { $from_day } { $from_month } { $from_year } و{ $day } { $month } { $year }
    }
situation-people-military =
    { $count ->
        [one] عسكري واحد
        [two] عسكريان
        [few] { $n } عسكريين
        [many] { $n } عسكريًا
       *[other] { $n } عسكري
    }
situation-people-civilian =
    { $count ->
        [one] مدني واحد
        [two] مدنيان
        [few] { $n } مدنيين
        [many] { $n } مدنيًا
       *[other] { $n } مدني
    }
situation-and = { $first } و{ $second }
situation-entered = { $when }، دخل { $people } إلى { $country } عبر { $post }.
situation-returned = { $when }، أُعيد { $people } إلى { $country } عبر { $through }{ $under }.
situation-same-crossing = المنفذ نفسه
situation-under-agreement = { " " }بموجب الاتفاق { $reference }
situation-under-agreement-assured = { " " }بموجب الاتفاق { $reference } الذي يضمن لهم عدم التعرض لأي أعمال انتقامية
situation-under-agreements = { " " }بموجب الاتفاقات { $references }
situation-remaining = حتى { $date }، لا يزال { $people } ممن عبروا من { $post } في { $country }.
situation-remaining-none = حتى { $date }، لم يبقَ في { $country } أحد ممن عبروا من { $post }.
situation-nothing = لا يوجد عبور مُتحقق منه مسجل في { $post } حتى { $date }.
situation-pending =
    { $count ->
        [one] قيد واحد في { $post } ينتظر التحقق ولم يُحتسب في هذه الأرقام (الداخلون { $in }، الخارجون { $out }).
        [two] قيدان في { $post } ينتظران التحقق ولم يُحتسبا في هذه الأرقام (الداخلون { $in }، الخارجون { $out }).
        [few] { $n } قيود في { $post } تنتظر التحقق ولم تُحتسب في هذه الأرقام (الداخلون { $in }، الخارجون { $out }).
        [many] { $n } قيدًا في { $post } تنتظر التحقق ولم تُحتسب في هذه الأرقام (الداخلون { $in }، الخارجون { $out }).
       *[other] { $n } قيد في { $post } تنتظر التحقق ولم تُحتسب في هذه الأرقام (الداخلون { $in }، الخارجون { $out }).
    }
situation-closed = أُقفلت أرقام الأيام حتى { $date }.
situation-agreements = الاتفاقات
situation-agreement-in-force = الاتفاق { $reference }، «{ $title }»، بين { $parties }، نافذ منذ { $from }.
situation-agreement-in-force-until = الاتفاق { $reference }، «{ $title }»، بين { $parties }، نافذ من { $from } إلى { $to }.
situation-agreement-ended = الاتفاق { $reference }، «{ $title }»، بين { $parties }، كان نافذًا من { $from } إلى { $to }.
situation-agreement-suspended = الاتفاق { $reference }، «{ $title }»، بين { $parties }، النافذ منذ { $from }، عُلّق في { $date }.
situation-agreement-concluded = الاتفاق { $reference }، «{ $title }»، بين { $parties }، النافذ منذ { $from }، أُنهي في { $date }.
situation-clause = { $kind }: { $text }
situation-agreement-progress = حتى { $date }، أُعيد بموجبه { $returned } من أصل { $planned } وفق الخطة.
situation-agreement-returned = حتى { $date }، بلغ عدد المُعادين بموجبه { $returned }.
situation-findings-none = لم تُسجَّل بشأنه أي ملاحظة امتثال حتى { $date }.
situation-finding = في { $date }، أفاد { $source } ({ $finding }): { $text }
situation-monitoring = من المذكورين في قوائم الإعادة بموجبه ({ $returnees })، ورد خبر عن { $followed }، وآخر خبر عن { $safe } منهم أنهم بأمان.
situation-people = الأشخاص
situation-declined = عدد المسجلين في هذه المنافذ الذين أعلنوا رفضهم العودة: { $n }.
situation-generated = أُعدّ في { $at } (بالتوقيت العالمي) بواسطة { $who }، من السجل كما كان عند قيد التدقيق رقم { $seq }.
situation-receipt = إيصال سجل التدقيق عند الإعداد: { $stamp }.
situation-recorded = هذا البيان هو قيد التدقيق { $seq }؛ وبصمة SHA-256 لنصه هي { $sha }.
