"""Spanish phrasings (and English requests after a Spanish greeting, which the English lists cover)."""
from __future__ import annotations

REQUEST_ES: dict[str, list[str]] = {
    "call": [
        "¿Me puede llamar{time}?", "Por favor llámeme{time}, tengo preguntas sobre {topic_es}.",
        "¿Podría llamarme{time} para hablar de {topic_es}?", "Llámame{time} cuando puedas.",
        "Necesito que me llame{time}, mi celular es {phone}.", "¿Tiene unos minutos{time} para una llamada?",
    ],
    "meeting": [
        "¿Podemos agendar una reunión{time} para revisar {topic_es}?", "Me gustaría reunirme con ustedes{time}.",
        "¿Podemos hacer una videollamada{time} con el equipo?",
    ],
    "site_visit": [
        "¿Pueden regresar a {addr}{time} para la reinspección?", "Necesitamos una nueva inspección en {addr}{time}.",
        "Por favor manden al valuador otra vez a la propiedad{time}, ya terminaron las reparaciones.",
    ],
    "quote": [
        "¿Cuánto cobran por un {product}?", "¿Me pueden enviar una cotización{time} para {addr}?",
        "Necesito un presupuesto para un {product} en {county} County.",
    ],
    "document": [
        "¿Me puede enviar la {doc_es}{time}?", "Por favor reenvíe el {doc_es}, no me llegó.",
        "Necesito una copia del {doc_es}{time}.",
    ],
    "order_change": [
        "Por favor cancelen la orden de {addr}, el cliente se retiró.", "¿Pueden cambiar la fecha de entrega de {ref}?",
        "Por favor actualicen el teléfono del prestatario en la orden: {phone}.",
    ],
    "third_party": [
        "Por favor contacten a {tp_es} para coordinar el acceso{time}.", "¿Pueden llamar a {tp_es}{time}? Tiene las llaves.",
    ],
}

OPT_OUT_ES = [
    "Por favor, quítenme de su lista.", "No me envíen más correos.", "Quiero darme de baja.",
    "Favor de eliminar mi correo de su lista de distribución.", "Ya no deseo recibir estos correos.",
    "Dejen de escribirme, por favor.", "Baja por favor.",
]
COMPLAINT_ES = [
    "Es la tercera vez que el reporte llega tarde.", "Estoy muy decepcionada con el servicio en {addr}.",
    "El valuador nunca llegó a la cita.", "El reporte tiene errores otra vez, esto es inaceptable.",
]
URGENT_ES = [
    "Es urgente, el cierre es mañana.", "Necesitamos el reporte hoy mismo, el bloqueo de tasa vence el viernes.",
    "Por favor denle prioridad, cerramos el jueves.",
]
UPSELL_ES = ["¿También hacen avalúos de escritorio? Tenemos un programa nuevo.",
             "Queremos enviarles más órdenes el próximo trimestre."]
RENEWAL_ES = ["Su contrato de proveedor vence este mes y está por renovarse.",
              "Es hora de la recertificación anual de nuestro panel de valuadores."]
HARD_NEG_ES = [
    "Si tiene preguntas, puede llamarme.", "Lo llamo mañana para revisar el reporte.",
    "Gracias por la llamada de ayer.", "El prestatario pidió reunirse en la propiedad.",
    "No es urgente, cuando pueda.", "Sin quejas, el reporte quedó excelente.",
]
FILLER_ES = [
    "Espero que esté muy bien.", "Gracias por la rapidez con el último reporte.", "La propiedad está desocupada.",
    "El número de préstamo es {ref}.", "Adjunto el contrato de compraventa.", "El acceso es por la puerta trasera.",
    "Seguimos esperando los documentos del título.", "Le escribo por la orden de {addr}.",
]
