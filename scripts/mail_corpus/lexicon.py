"""Names, places and things the corpus's emails talk about: an appraisal firm and its lender clients."""
from __future__ import annotations

FIRST = ["Karen", "Tom", "Maria", "Dan", "Priya", "Greg", "Alicia", "Marcus", "Jen", "Luis", "Beth", "Kevin",
         "Sandra", "Raj", "Nicole", "Steve", "Olga", "Derek", "Fatima", "Bill", "Carmen", "Trevor", "Mei", "Jose",
         "Heather", "Andre", "Lauren", "Mike", "Rosa", "Chris", "Tanya", "Sam", "Diana", "Victor", "Erin", "Hugo",
         "Brenda", "Omar", "Kelly", "Javier", "Patty", "Nate", "Ingrid", "Wes", "Lupe", "Gary", "Yolanda", "Ron"]
LAST = ["Whitfield", "Becker", "Lopez", "Nguyen", "Patel", "Olsen", "Ramirez", "Johnson", "Kowalski", "Garcia",
        "Murphy", "Chen", "Okafor", "Schmidt", "Hernandez", "Brooks", "Ivanova", "Sullivan", "Haddad", "Price",
        "Morales", "Fischer", "Wong", "Castillo", "Reed", "Dubois", "Park", "Flores", "Bennett", "Yamamoto"]
COMPANIES = [
    ("Summit Credit Union", "summitcu.org"), ("Harbor Lending", "harborlending.com"),
    ("First Community Bank", "firstcommunitybank.com"), ("Pinnacle Mortgage", "pinnaclemtg.com"),
    ("Blue Ridge Federal", "blueridgefed.com"), ("Lakeshore Home Loans", "lakeshorehl.com"),
    ("Clearpath AMC", "clearpathamc.com"), ("Meridian Valuation Management", "meridianvm.com"),
    ("Cornerstone Realty", "cornerstonerealty.net"), ("Valley National Bank", "valleynb.com"),
    ("Prairie State Lending", "prairiestatelending.com"), ("Redwood Financial", "redwoodfin.com"),
    ("Granite Mortgage Group", "granitemg.com"), ("Coastal Capital Bank", "coastalcapital.bank"),
    ("Northstar Credit Union", "northstarcu.org"), ("Hometown Realty Partners", "hometownrp.com"),
    ("Crestline Builders", "crestlinebuilders.com"), ("Sunbelt Mortgage", "sunbeltmortgage.com"),
    ("Banco Popular del Valle", "bancodelvalle.com"), ("Hipotecas Río Grande", "hipotecasriogrande.mx"),
]
FREEMAIL = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com"]
ROLES = ["Loan Officer", "Loan Processor", "Senior Underwriter", "Closing Coordinator", "Vendor Manager",
         "Branch Manager", "Appraisal Desk", "Realtor", "Broker / Owner", "Construction Lending", "AMC Coordinator",
         "VP, Mortgage Operations", "Mortgage Banker", "Post-Closing Specialist"]
ROLES_ES = ["Oficial de Préstamos", "Procesadora de Préstamos", "Gerente de Proveedores", "Agente Inmobiliario",
            "Coordinadora de Cierres"]
STREETS = ["Main St", "Oak Ave", "Cedar Ct", "Birch Ln", "Ridge Rd", "Maple Dr", "Elm St", "Lakeview Blvd",
           "Willow Way", "Sunset Ter", "Hickory Pl", "Pine Hollow Rd", "Mill Creek Dr", "Aspen Cir", "Harbor View Dr",
           "Quail Run", "Canyon Rd", "Prospect Ave", "Juniper St", "Stonebridge Ln"]
CITIES = ["Springfield", "Fairview", "Riverton", "Lakewood", "Georgetown", "Madison", "Clayton", "Ashland",
          "Franklin", "Salem", "Greenville", "Bristol"]
COUNTIES = ["Travis", "Williamson", "Hays", "Bexar", "Collin", "Denton", "Ellis", "Brazos", "Comal", "Bell"]
DOCS = ["invoice", "W-9", "E&O certificate", "final report", "appraisal report", "license copy", "revised report",
        "XML file", "inspection photos", "fee schedule", "1004MC", "rent schedule", "signed engagement letter",
        "completion cert", "receipt for the appraisal fee", "field review", "comp photos", "sketch"]
DOCS_ES = ["factura", "reporte final", "avalúo", "W-9", "certificado de seguro", "fotos de la inspección",
           "copia de la licencia"]
PRODUCTS = ["1004", "1004D", "desktop appraisal", "drive-by (2055)", "hybrid appraisal", "FHA appraisal",
            "1025 small income", "condo (1073)", "field review", "BPO", "land appraisal", "commercial appraisal"]
TOPICS = ["comps", "value", "the adjustments", "the report", "the revision request", "the fee schedule",
          "our panel requirements", "the ROV", "the condition rating", "the GLA", "the turn times",
          "the inspection findings", "the rent survey", "the market conditions addendum", "next quarter's volume"]
TOPICS_ES = ["los comparables", "el valor", "el reporte", "la inspección", "las tarifas", "el avalúo"]
THIRD_PARTIES = ["the listing agent", "the borrower", "the builder", "the HOA", "the tenant", "the seller's agent",
                 "our underwriter", "the loan officer", "the property manager", "the title company",
                 "the buyer's agent", "the site superintendent"]
THIRD_PARTIES_ES = ["el agente del listado", "el prestatario", "la inquilina", "el constructor", "la administradora"]
TIMEZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix"]
OUR_FIRM = ("Keystone Valuation", "keystonevaluation.com")
OUR_PEOPLE = ["Dan", "Rachel", "Sofia", "Jim", "the team", "Keystone team", "team"]
