# ruff: noqa: E501 - the questions are prose, one per line, easier to read and translate unbroken
"""The default survey for each audience, written for this program, in English and Spanish.

Each question: (kind, theme, required, English, Spanish, choices as (English, Spanish) pairs).
"""

from feedback.models import Audience, QuestionKind, Theme

SCALE, SINGLE, MULTIPLE, YES_NO, TEXT = (
    QuestionKind.SCALE,
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.YES_NO,
    QuestionKind.TEXT,
)

HOW_REACH = [
    ("In person at school", "En persona en la escuela"),
    ("By phone", "Por teléfono"),
    ("By email", "Por correo electrónico"),
    ("Through a teacher or the office", "Por medio de un maestro o la oficina"),
    ("I would not know how", "No sabría cómo"),
]
HOW_OFTEN = [
    ("Every day", "Todos los días"),
    ("A few times a week", "Algunas veces por semana"),
    ("A few times a month", "Algunas veces al mes"),
    ("Rarely or never", "Casi nunca o nunca"),
]

DEFAULT_SURVEYS = {
    Audience.STUDENTS: {
        "title": "Student voice: our school resource officer",
        "title_es": "La voz estudiantil: nuestro oficial de recursos escolares",
        "introduction": "Your answers are anonymous. Nobody at school will know which answers are yours.",
        "introduction_es": "Sus respuestas son anónimas. Nadie en la escuela sabrá cuáles respuestas son suyas.",
        "questions": [
            (SCALE, Theme.SAFETY, True, "I feel safe at school.", "Me siento seguro o segura en la escuela.", []),
            (SCALE, Theme.TRUST, True, "I could talk to our school's officer if I had a problem.",
             "Podría hablar con el oficial de mi escuela si tuviera un problema.", []),
            (YES_NO, Theme.ROLE, True, "Do you know what the school resource officer does at your school?",
             "¿Sabe lo que hace el oficial de recursos escolares en su escuela?", []),
            (SINGLE, Theme.VISIBILITY, True, "How often do you see the officer around school?",
             "¿Con qué frecuencia ve al oficial en la escuela?", HOW_OFTEN),
            (YES_NO, Theme.COMPLAINTS, True, "Would you know how to make a complaint about the officer?",
             "¿Sabría cómo presentar una queja sobre el oficial?", []),
            (TEXT, Theme.COMMUNICATION, False, "What could the officer do to help you feel safer?",
             "¿Qué podría hacer el oficial para que se sienta más seguro o segura?", []),
        ],
    },
    Audience.STAFF: {
        "title": "Staff survey: working with our school resource officer",
        "title_es": "Encuesta al personal: el trabajo con nuestro oficial de recursos escolares",
        "introduction": "Tell us how the SRO program works in your building. It takes about four minutes.",
        "introduction_es": "Díganos cómo funciona el programa en su edificio. Toma unos cuatro minutos.",
        "questions": [
            (SCALE, Theme.SAFETY, True, "Students and staff are safe in this building.",
             "Los estudiantes y el personal están seguros en este edificio.", []),
            (SCALE, Theme.ROLE, True, "I understand what the officer should and should not handle.",
             "Entiendo qué asuntos debe y no debe atender el oficial.", []),
            (SCALE, Theme.RESPONSIVENESS, True, "When I ask the officer for help, they respond promptly.",
             "Cuando pido ayuda al oficial, responde pronto.", []),
            (SCALE, Theme.COLLABORATION, True, "The officer works well with our administrators and counselors.",
             "El oficial trabaja bien con la administración y los consejeros.", []),
            (MULTIPLE, Theme.ROLE, False, "How do you reach the officer? (Choose all that apply.)",
             "¿Cómo se comunica con el oficial? (Elija todas las que correspondan.)", HOW_REACH),
            (TEXT, Theme.COMMUNICATION, False, "What should the program change?",
             "¿Qué debería cambiar el programa?", []),
        ],
    },
    Audience.GUARDIANS: {
        "title": "Family survey: the school resource officer at your child's school",
        "title_es": "Encuesta a las familias: el oficial de recursos escolares en la escuela de su hijo o hija",
        "introduction": "We ask families each term how the SRO program is doing. Your answers are anonymous.",
        "introduction_es": "Cada periodo preguntamos a las familias cómo va el programa. Sus respuestas son anónimas.",
        "questions": [
            (SCALE, Theme.SAFETY, True, "My child is safe at school.", "Mi hijo o hija está seguro en la escuela.", []),
            (SCALE, Theme.TRUST, True, "I trust the officer to treat my child fairly.",
             "Confío en que el oficial trate a mi hijo o hija con justicia.", []),
            (YES_NO, Theme.ROLE, True, "Do you know how to reach the school's officer?",
             "¿Sabe cómo comunicarse con el oficial de la escuela?", []),
            (YES_NO, Theme.COMPLAINTS, True, "Do you know how to make a complaint or a commendation?",
             "¿Sabe cómo presentar una queja o un reconocimiento?", []),
            (SCALE, Theme.COMMUNICATION, True, "The school tells families what the officer does.",
             "La escuela informa a las familias sobre lo que hace el oficial.", []),
            (TEXT, Theme.COMMUNICATION, False, "Anything else you would like us to know?",
             "¿Algo más que quiera decirnos?", []),
        ],
    },
    Audience.ADMINISTRATORS: {
        "title": "Administrator survey: the SRO partnership",
        "title_es": "Encuesta a la administración: la colaboración con el oficial",
        "introduction": "For principals and assistant principals, each term.",
        "introduction_es": "Para directores y subdirectores, cada periodo.",
        "questions": [
            (SCALE, Theme.COLLABORATION, True, "The officer follows the agreement's division of roles.",
             "El oficial respeta la división de funciones del acuerdo.", []),
            (SCALE, Theme.RESPONSIVENESS, True, "The officer is available when the school needs them.",
             "El oficial está disponible cuando la escuela lo necesita.", []),
            (SCALE, Theme.VISIBILITY, True, "The officer is visible and approachable at arrival and dismissal.",
             "El oficial es visible y accesible a la entrada y la salida.", []),
            (SINGLE, Theme.COMMUNICATION, True, "How often do you meet with the officer?",
             "¿Con qué frecuencia se reúne con el oficial?", HOW_OFTEN),
            (TEXT, Theme.COLLABORATION, False, "What would make the partnership work better?",
             "¿Qué mejoraría la colaboración?", []),
        ],
    },
    Audience.SELF: {
        "title": "Officer self-assessment",
        "title_es": "Autoevaluación del oficial",
        "introduction": "Your own view of the term, read beside what your schools said.",
        "introduction_es": "Su propia opinión del periodo, leída junto a lo que dijeron sus escuelas.",
        "questions": [
            (SCALE, Theme.TRUST, True, "Students come to me with their concerns.",
             "Los estudiantes acuden a mí con sus inquietudes.", []),
            (SCALE, Theme.VISIBILITY, True, "I am visible in hallways, lunch and events.",
             "Soy visible en los pasillos, el almuerzo y los eventos.", []),
            (SCALE, Theme.COLLABORATION, True, "I leave school discipline to school staff.",
             "Dejo la disciplina escolar al personal de la escuela.", []),
            (MULTIPLE, Theme.COMMUNICATION, False, "Which of these did you do this term?",
             "¿Cuáles de estas actividades realizó este periodo?",
             [("Classroom presentation", "Presentación en clase"), ("Family night", "Noche familiar"),
              ("Mentoring", "Mentoría"), ("Staff training", "Capacitación del personal")]),
            (TEXT, Theme.RESPONSIVENESS, False, "What will you do differently next term?",
             "¿Qué hará diferente el próximo periodo?", []),
        ],
    },
}  # fmt: skip
