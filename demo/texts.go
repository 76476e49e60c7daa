package demo

import (
	"math/rand/v2"
	"strings"
)

// The texts below are invented, in the register case workers write in. They carry no real person's
// story; they give sealed fields a realistic length and make the demo read like a working centre.

var noteSentencesAR = []string{
	"تمت زيارة المستفيدة في منزلها بحضور الأخصائية الاجتماعية، وكانت متعاونة وأبدت رغبتها في متابعة الخطة.",
	"أفادت المستفيدة بأن الوضع في المنزل أهدأ منذ الجلسة الأخيرة، لكنها ما زالت تشعر بالقلق عند عودة الزوج متأخراً.",
	"تم التواصل مع المدرسة للاطمئنان على انتظام الطفل في الحضور، وأفادت المرشدة بتحسن ملحوظ في سلوكه.",
	"ناقشنا خطة الأمان وتم التأكد من أن المستفيدة تحتفظ بالأرقام الضرورية ونسخة من الوثائق في مكان آمن.",
	"حضرت المستفيدة الجلسة في الموعد المحدد، وتحدثت عن صعوبات النوم وتكرار الكوابيس خلال الأسبوع.",
	"تم تحويل الحالة إلى المستشار القانوني لمتابعة إجراءات الحضانة والنفقة أمام محكمة الأسرة.",
	"لاحظت الأخصائية علامات إرهاق واضحة، وتم الاتفاق على جلسة دعم نفسي إضافية الأسبوع القادم.",
	"أكدت المستفيدة أنها لم تتعرض لأي اعتداء جديد منذ انتقالها للسكن لدى أسرتها.",
	"تم التنسيق مع الجهة الصحية لحجز موعد متابعة في العيادة، وسيرافقها أحد أفراد الفريق.",
	"عبّر الطفل خلال الجلسة بالرسم عن مشاعر الخوف، وتم إبلاغ الأم بأهمية المتابعة المنتظمة.",
	"تمت مراجعة أهداف الخطة مع المستفيدة، وتم إنجاز هدف التسجيل في برنامج التدريب المهني.",
	"اتصلت المستفيدة لتأجيل الموعد بسبب ظروف العمل، وتم تحديد موعد بديل يوم الأحد.",
	"لا توجد مؤشرات خطر مرتفعة حالياً، مع استمرار المتابعة الهاتفية الأسبوعية.",
	"تم صرف مساعدة عينية للأسرة بعد التحقق من الاحتياج بالتنسيق مع قسم الخدمات.",
	"أبدت الأم تعاوناً جيداً في تطبيق أساليب التربية الإيجابية التي تمت مناقشتها في الجلسة السابقة.",
	"تحدثت المستفيدة عن ضغوط مالية متزايدة، وتمت إحالتها إلى برنامج التمكين الاقتصادي.",
}

var noteSentencesEN = []string{
	"Home visit completed with the social worker; the beneficiary was cooperative and wants to continue with the plan.",
	"She reports the situation at home has been calmer since the last session but remains anxious in the evenings.",
	"Contacted the school counsellor, who confirms the child's attendance and behaviour have improved.",
	"Reviewed the safety plan: emergency numbers memorised, copies of documents kept with a trusted relative.",
	"Attended the session on time and described difficulty sleeping and recurring nightmares this week.",
	"Referred to the legal officer to follow up custody and maintenance proceedings at the family court.",
	"No new incidents reported since she moved in with her family; weekly phone follow-up continues.",
	"Coordinated with the health centre for a follow-up appointment; a team member will accompany her.",
}

var summarySentencesAR = []string{
	"المتصلة تشكو من إساءة لفظية متكررة من الزوج وتطلب استشارة حول حقوقها.",
	"اتصل طفل يقول إن والده يضربه عندما يغضب، وتم تقديم الدعم وتحويل البلاغ للفرز.",
	"سؤال عن إجراءات الحضانة بعد الطلاق وتم تقديم المعلومات اللازمة.",
	"جارة تبلغ عن صراخ مستمر وبكاء أطفال في الشقة المجاورة.",
	"المتصلة بحاجة إلى مأوى عاجل بعد تعرضها للضرب، وتم التنسيق مع الشرطة.",
	"استفسار عن مواعيد الجلسات الإرشادية وطريقة التسجيل.",
	"معلمة تبلغ عن طالبة تظهر عليها علامات إهمال وسوء تغذية.",
	"المتصلة تشعر بالضيق الشديد وتم تقديم الإرشاد النفسي الأولي.",
	"متابعة لحالة سابقة، والمستفيدة تطلب موعداً مع الأخصائية.",
	"أم تسأل عن كيفية التعامل مع ابنها المراهق بعد انفصالها عن والده.",
}

var narrativeSentencesAR = []string{
	"أفادت الضحية بأن المعتدي دفعها نحو الجدار أثناء شجار حول المصروف المنزلي.",
	"تكررت الإهانات والتهديد بالطرد من المنزل أمام الأطفال خلال الأشهر الماضية.",
	"منعها من زيارة أهلها وأخذ هاتفها لمدة أسبوعين.",
	"لاحظت المعلمة كدمات على ذراع الطفل، وأفاد بأنه عوقب بسبب درجاته.",
	"تُرك الأطفال وحدهم في المنزل لفترات طويلة دون طعام كافٍ.",
	"حدث الاعتداء ليلاً بعد عودة المعتدي إلى المنزل، ولم يكن هناك شهود.",
	"تم نقلها إلى الطوارئ لعلاج إصابة في اليد، وحرر تقرير طبي بذلك.",
	"أفادت بأن التهديد شمل الحرمان من رؤية الأطفال إذا تقدمت بشكوى.",
}

var sectionTextsAR = []string{
	"تقيم المستفيدة حالياً مع أسرتها الممتدة، وتشعر بأمان نسبي، مع وجود قلق من محاولة التواصل من قبل المعتدي.",
	"لا توجد أمراض مزمنة، مع وجود أعراض قلق واضطراب في النوم تستدعي المتابعة النفسية.",
	"لديها دعم جيد من والدتها وأختها، والعلاقة مع أسرة الزوج متوترة.",
	"أنهت المرحلة الثانوية ولا تعمل حالياً، وترغب في الالتحاق بدورة تدريبية.",
	"تحتاج إلى استشارة قانونية بخصوص النفقة والحضانة، وبعض الوثائق الرسمية غير متوفرة.",
	"الأطفال منتظمون في المدرسة مع حاجة الطفل الأكبر إلى دعم نفسي.",
}

var goalTextsAR = []string{
	"تعزيز شعور المستفيدة بالأمان وتطبيق خطة الأمان",
	"خفض أعراض القلق من خلال جلسات الدعم النفسي",
	"استكمال الوثائق الرسمية للمستفيدة والأطفال",
	"الحصول على حكم النفقة والحضانة",
	"الالتحاق ببرنامج تدريب مهني والحصول على دخل مستقل",
	"انتظام الأطفال في المدرسة وتحسن تحصيلهم",
	"توفير سكن مستقر وآمن للأسرة",
}

// sentences joins between lo and hi sentences from pool, so lengths vary as real writing does.
func sentences(rng *rand.Rand, pool []string, lo, hi int) string {
	n := lo + rng.IntN(hi-lo+1)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = pool[rng.IntN(len(pool))]
	}
	return strings.Join(parts, " ")
}

// noteText is a case note: mostly Arabic, sometimes English, a few hundred to about 1,500 characters.
func noteText(rng *rand.Rand) string {
	if rng.IntN(8) == 0 {
		return sentences(rng, noteSentencesEN, 2, 6)
	}
	return sentences(rng, noteSentencesAR, 2, 8)
}
