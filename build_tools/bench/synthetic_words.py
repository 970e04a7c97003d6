"""Word lists and sentence patterns for the synthetic benchmark library (see synthetic.py).

Patient patterns use short sentences and everyday words, so the patient reading-grade check passes;
no pattern contains a digit, so the bare-number check passes for every audience.
"""
from __future__ import annotations

from types import MappingProxyType

CATEGORIES = tuple(f"{name} (synthetic)" for name in (
    "Joints", "Muscles", "Bones", "Nerves", "Skin", "Heart", "Lungs", "Kidneys", "Stomach",
    "Blood", "Eyes", "Ears", "Teeth", "Sleep", "Pain care", "Surgery", "Rehabilitation",
    "Medicines", "Children", "Older adults", "Pregnancy", "Sports", "Mental health",
    "Infections", "Cancer care"))

NAME_PARTS = (
    ("zor", "mel", "tav", "quin", "bral", "dov", "fen", "lor", "ser", "kib", "nal", "ped",
     "vum", "gral", "hesk", "jun", "mop", "rax", "sul", "tren", "ulv", "wex", "yar", "bost", "cly"),
    ("itis", "osis", "algia", "ema", "ism", "ar", "ine", "ex"),
)

TREATMENTS = ("a brace", "physical therapy", "a steroid shot", "heat therapy", "a nerve block",
              "surgery", "a splint", "rest and ice", "an exercise plan", "pain medicine", "a cast",
              "water therapy", "a walking aid", "a sleep plan", "massage", "a diet change")

WORDS = MappingProxyType({
    "area": ("knee", "hip", "lower back", "neck", "shoulder", "wrist", "ankle", "elbow", "foot",
             "hand", "jaw", "upper back"),
    "feeling": ("sore", "stiff", "weak", "tired", "swollen", "warm", "numb", "tight", "tender",
                "achy", "heavy", "shaky"),
    "time": ("week", "few days", "month", "short while", "day or two", "few weeks"),
    "person": ("doctor", "nurse", "care team", "therapist", "pharmacist", "family doctor"),
    "action": ("take short walks", "stretch gently", "rest", "use ice", "use a warm pack",
               "sit up straight", "climb stairs slowly", "lift light things", "drink water"),
    "thing": ("a cane", "a pillow", "a ride home", "help with meals", "a walker", "a heat pack",
              "a list of your pills", "a note pad", "loose clothes", "a phone charger"),
    "verb": ("walk", "bend", "sleep", "move", "eat", "breathe", "stand", "sit", "reach", "turn"),
    "measure": ("pain scores", "range of motion", "neurovascular status", "gait", "sleep quality",
                "analgesic use", "functional scores", "wound appearance", "vital signs"),
    "symptom": ("stiffness", "swelling", "night pain", "weakness", "numbness", "tenderness",
                "reduced mobility", "fatigue", "radiating pain"),
    "complication": ("infection", "bleeding", "thrombosis", "nerve irritation",
                     "delayed healing", "wound breakdown", "an allergic reaction", "falls"),
    "alternative": ("graded exercise", "bracing", "oral analgesia", "watchful waiting",
                    "physiotherapy", "injection therapy", "occupational therapy"),
    "period": ("day", "week", "fortnight", "month"),
})

SENTENCES = MappingProxyType({
    "patient": (
        "Your {area} may feel {feeling} for a {time}.",
        "Many people with {condition} feel {feeling} in the {area}.",
        "Ask your {person} how {treatment} fits your plan.",
        "You can {action} while you heal.",
        "Tell your {person} if the pain gets worse.",
        "Some people need {thing} to help them at home.",
        "It is fine to ask for more time to think.",
        "Rest, walks and good sleep all help you heal.",
        "Your {person} will check how well you {verb}.",
        "Write down what you want to ask before your visit.",
        "Bring a friend or family member if that helps you.",
        "It can take a {time} before you feel a change.",
        "Do not stop a medicine on your own.",
        "Keep a short note of how you feel each day.",
        "If you feel {feeling}, slow down and rest.",
        "Call your {person} if you see new {symptom}.",
        "Pack {thing} before you leave home.",
        "You may find it hard to {verb} at first.",
        "This choice is yours, and your {person} can help you make it.",
        "Most people can {verb} on their own again soon.",
    ),
    "clinician": (
        "Assess the {area} and document {measure} at each visit.",
        "Patients with {condition} commonly report {symptom} of the {area}.",
        "The evidence for {treatment} in {condition} is limited by small samples and short "
        "follow-up.",
        "Consider {alternative} when {treatment} is contraindicated or declined.",
        "Monitor for {complication} during the first {period} after {treatment}.",
        "Document baseline {measure} before starting {treatment}.",
        "Shared decision-making should cover expected benefit, the risk of {complication}, and "
        "recovery time.",
        "Randomized data remain sparse, and observational cohorts dominate the literature on "
        "{condition}.",
        "Reassess analgesic requirements and mobility before discharge.",
        "Educate the patient about warning signs such as {symptom} or {complication}.",
        "Escalate promptly if {symptom} progresses despite {alternative}.",
        "Outcomes depend on adherence, baseline {measure}, and comorbid conditions.",
        "Heterogeneity in outcome definitions limits pooling across studies of {treatment}.",
        "Reported rates of {complication} vary with case mix and surveillance intensity.",
        "Coordinate with physiotherapy so that {measure} are recorded consistently.",
        "Blinded comparisons against {alternative} are largely absent.",
    ),
})

PHRASES = MappingProxyType({
    "patient": "The studies give one number to know: {fact}.",
    "clinician": "The synthetic fact base reports {fact} for this measure in {condition}.",
})

SECTIONS = MappingProxyType({
    "patient": ("What is {condition}?", "How can {treatment} help?", "Who may be offered it?",
                "What happens on the day", "After {treatment}", "Risks",
                "How well does it work?", "Questions to ask your care team"),
    "clinician": ("Indications", "Assessment of {condition}", "Procedure",
                  "Monitoring and escalation",
                  "Complications", "Evidence summary", "Limitations of the evidence",
                  "Patient teaching"),
})

# The benchmark's warning signs (content/warning_signs/syn_signs.yml): made-up, not advice
SIGNS = MappingProxyType({
    "syn_sudden_pain": {"urgency": "emergency", "notice": "Sudden synthetic pain in the test area",
                        "verified": False, "reason": "synthetic benchmark content, not advice"},
    "syn_slow_fever": {"urgency": "same_day", "notice": "A synthetic fever that does not settle",
                       "verified": False, "reason": "synthetic benchmark content, not advice"},
})

GLOSSARY = (
    ("syn_brace", "Brace", "A firm support worn on the body to hold a joint still while it heals."),
    ("syn_splint", "Splint", "A stiff strip that keeps a hurt part of the body from moving."),
    ("syn_swelling", "Swelling", "When part of the body gets bigger because fluid builds up."),
    ("syn_therapist", "Therapist", "A person trained to help you move, stretch and get strong."),
    ("syn_follow_up", "Follow-up visit", "A visit after your treatment to check how you are."),
    ("syn_side_effect", "Side effect", "An unwanted effect of a medicine or a treatment."),
    ("syn_numbness", "Numbness", "When you cannot feel touch well in part of your body."),
    ("syn_steroid", "Steroid shot", "A shot of medicine that calms swelling in one spot."),
    ("syn_scan", "Scan", "A picture of the inside of the body taken by a machine."),
    ("syn_dose", "Dose", "How much of a medicine you take at one time."),
    ("syn_recovery", "Recovery", "The time it takes your body to heal and feel well again."),
    ("syn_care_team", "Care team", "The doctors, nurses and others who look after you."),
)
