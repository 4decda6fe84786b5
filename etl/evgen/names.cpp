#include "etl/evgen/names.hpp"

#include <array>
#include <string_view>

namespace ge::evgen {
namespace {

using Names = std::span<const char* const>;

enum NameSet : std::uint8_t { kGerman, kSpanish, kItalian, kEnglish, kFrench, kSerbian, kPortuguese, kNameSetCount };

constexpr std::array<Country, 12> kCountries{{
    {"DE", 240, kGerman},
    {"ES", 240, kSpanish},
    {"IT", 240, kItalian},
    {"US", 240, kEnglish},
    {"GB", 9, kEnglish},
    {"FR", 7, kFrench},
    {"RS", 6, kSerbian},
    {"AT", 5, kGerman},
    {"CH", 4, kGerman},
    {"MX", 4, kSpanish},
    {"BR", 3, kPortuguese},
    {"CA", 2, kEnglish},
}};

constexpr const char* kGermanFirst[] = {
    "Anja",    "Bettina",  "Dieter", "Helga",  "Jürgen", "Jörg",       "Klaus",  "Monika",  "Ingrid", "Thomas",
    "Michael", "Ulrich",   "Sabine", "Gisela", "Horst",  "Ute",        "Stefan", "Andreas", "Petra",  "Karin",
    "Uwe",     "Wolfgang", "Heike",  "Frank",  "Birgit", "Matthias",   "Katrin", "Lukas",   "Leonie", "Jana",
    "Tobias",  "Sven",     "Renate", "Günter", "Lena",   "Maximilian", "Sophie", "Felix",   "Hannah", "Björn"};
constexpr const char* kGermanLast[] = {
    "Müller",  "Schmidt", "Schneider", "Fischer",  "Weber",  "Meyer",   "Wagner",   "Becker",  "Schulz",  "Hoffmann",
    "Schäfer", "Koch",    "Bauer",     "Richter",  "Klein",  "Wolf",    "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun",   "Krüger",  "Hofmann",   "Hartmann", "Lange",  "Schmitt", "Werner",   "Krause",  "Meier",   "Lehmann",
    "Weiß",    "Jäckel",  "Hauffer",   "Köhler",   "Kaiser", "Fuchs",   "Vogel",    "Keller",  "Günther", "Frank"};
constexpr const char* kSpanishFirst[] = {
    "Pilar",     "Federico", "Ángel",   "Inés",     "Jorge",  "Martín",    "Rocío",  "Nuria",      "Begoña", "Álvaro",
    "Jesús",     "Almudena", "Teodoro", "Consuelo", "Lucía",  "María",     "José",   "Carmen",     "Javier", "Sofía",
    "Alejandro", "Elena",    "Pablo",   "Marta",    "Sergio", "Raquel",    "Andrés", "Beatriz",    "Íñigo",  "Mercedes",
    "Ramón",     "Lorena",   "Iván",    "Patricia", "Óscar",  "Esperanza", "Rubén",  "Montserrat", "Víctor", "Ainhoa"};
constexpr const char* kSpanishLast[] = {
    "García",  "Rodríguez", "González", "Fernández", "López",     "Martínez", "Sánchez", "Pérez",  "Gómez",
    "Martín",  "Jiménez",   "Ruiz",     "Hernández", "Díaz",      "Moreno",   "Álvarez", "Muñoz",  "Romero",
    "Alonso",  "Gutiérrez", "Navarro",  "Torres",    "Domínguez", "Vázquez",  "Ramos",   "Gil",    "Ramírez",
    "Serrano", "Blanco",    "Molina",   "Morales",   "Suárez",    "Ortega",   "Delgado", "Castro", "Ortiz",
    "Rubio",   "Marín",     "Garrido",  "Alberola",  "Poza",      "Plana",    "Soto",    "Sanz"};
constexpr const char* kItalianFirst[] = {
    "Giovanni", "Gian Marco", "Federico", "Giuseppe",  "Chiara",     "Alessandra", "Ornella",  "Raffaele",
    "Fabrizio", "Gianluca",   "Antonio",  "Francesca", "Marco",      "Giulia",     "Luca",     "Sara",
    "Matteo",   "Valentina",  "Andrea",   "Elena",     "Lorenzo",    "Martina",    "Davide",   "Paola",
    "Simone",   "Federica",   "Stefano",  "Silvia",    "Alessandro", "Roberta",    "Niccolò",  "Beatrice",
    "Lucrezia", "Tommaso",    "Ilaria",   "Pietro",    "Caterina",   "Emanuele",   "Gabriele", "Noemi"};
constexpr const char* kItalianLast[] = {
    "Rossi",      "Russo",  "Ferrari",  "Esposito", "Bianchi",  "Romano",    "Colombo",  "Ricci",
    "Marino",     "Greco",  "Bruno",    "Gallo",    "Conti",    "De Luca",   "Mancini",  "Costa",
    "Giordano",   "Rizzo",  "Lombardi", "Moretti",  "Barbieri", "Fontana",   "Santoro",  "Mariani",
    "Rinaldi",    "Caruso", "Ferrara",  "Galli",    "Martini",  "Leone",     "Longo",    "Gentile",
    "Martinelli", "Vitale", "Lombardo", "Serra",    "Coppola",  "De Santis", "D'Angelo", "Marchetti"};
constexpr const char* kEnglishFirst[] = {
    "Elizabeth", "Charles",     "Carolyn", "Taylor",  "Matthew", "James",  "Karen", "Joseph",   "Barbara",  "Michael",
    "John",      "Christopher", "David",   "Lisa",    "Steven",  "Joshua", "Mary",  "Patricia", "Jennifer", "Robert",
    "William",   "Richard",     "Thomas",  "Jessica", "Sarah",   "Daniel", "Nancy", "Betty",    "Mark",     "Sandra",
    "Ashley",    "Kimberly",    "Donald",  "Emily",   "Anthony", "Donna",  "Paul",  "Michelle", "Kevin",    "Amanda"};
constexpr const char* kEnglishLast[] = {
    "Smith",    "Johnson", "Williams", "Brown",    "Jones",   "Miller",   "Davis",    "Wilson", "Anderson", "Thomas",
    "Taylor",   "Moore",   "Jackson",  "Martin",   "Lee",     "Thompson", "White",    "Harris", "Clark",    "Lewis",
    "Robinson", "Walker",  "Young",    "Allen",    "King",    "Wright",   "Scott",    "Green",  "Baker",    "Adams",
    "Nelson",   "Hill",    "Campbell", "Mitchell", "Roberts", "Carter",   "Phillips", "Evans",  "Turner",   "O'Brien"};
constexpr const char* kFrenchFirst[] = {"Camille", "Léa",    "Chloé",    "Manon",  "Hélène", "Théo",
                                        "Hugo",    "Louis",  "François", "Amélie", "Jérôme", "Élodie",
                                        "Nicolas", "Julien", "Céline",   "Mathieu"};
constexpr const char* kFrenchLast[] = {"Martin",  "Bernard", "Dubois",  "Thomas", "Robert", "Richard",
                                       "Petit",   "Durand",  "Leroy",   "Moreau", "Simon",  "Laurent",
                                       "Lefèvre", "Michel",  "Garnier", "Faure"};
constexpr const char* kSerbianFirst[] = {"Marko",  "Nikola",  "Stefan", "Miloš",      "Jelena", "Milica",
                                         "Ana",    "Dragana", "Nenad",  "Aleksandar", "Đorđe",  "Ivana",
                                         "Jovana", "Dušan",   "Vesna",  "Bojan"};
constexpr const char* kSerbianLast[] = {"Jovanović", "Petrović",  "Nikolić",  "Marković",  "Đorđević", "Stojanović",
                                        "Ilić",      "Stanković", "Pavlović", "Milošević", "Popović",  "Đukić",
                                        "Kostić",    "Živković",  "Tomić",    "Lukić"};
constexpr const char* kPortugueseFirst[] = {"João",    "Ana",     "Maria",   "Pedro",   "Lucas",  "Gabriel",
                                            "Júlia",   "Beatriz", "Matheus", "Larissa", "Rafael", "Letícia",
                                            "Gustavo", "Camila",  "Felipe",  "Fernanda"};
constexpr const char* kPortugueseLast[] = {"Silva",   "Santos",   "Oliveira", "Souza",    "Rodrigues", "Ferreira",
                                           "Alves",   "Pereira",  "Lima",     "Gomes",    "Costa",     "Ribeiro",
                                           "Martins", "Carvalho", "Araújo",   "Conceição"};

constexpr const char* kGermanTitles[] = {"Dr. ", "Prof. ", "Prof. Dr. "};
constexpr const char* kSpanishTitles[] = {"Sr. ", "Sra. ", "Dr. ", "Dra. "};
constexpr const char* kItalianTitles[] = {"Sig. ", "Sig.ra ", "Dott. ", "Dott.ssa "};
constexpr const char* kEnglishTitles[] = {"Mr. ", "Mrs. ", "Ms. ", "Dr. "};
constexpr const char* kOtherTitles[] = {"Dr. "};

struct NameSetTables {
  Names first;
  Names last;
  Names titles;
  std::uint32_t double_surname_percent;  // "First Last Last2"
  std::uint32_t hyphen_percent;          // "First Last-Last2"
};

const std::array<NameSetTables, kNameSetCount> kNameSets{{
    {kGermanFirst, kGermanLast, kGermanTitles, 0, 4},
    {kSpanishFirst, kSpanishLast, kSpanishTitles, 55, 5},
    {kItalianFirst, kItalianLast, kItalianTitles, 0, 0},
    {kEnglishFirst, kEnglishLast, kEnglishTitles, 0, 2},
    {kFrenchFirst, kFrenchLast, kOtherTitles, 0, 6},
    {kSerbianFirst, kSerbianLast, kOtherTitles, 0, 0},
    {kPortugueseFirst, kPortugueseLast, kOtherTitles, 30, 0},
}};

constexpr std::array<std::uint32_t, kDevices.size()> kDeviceWeights{44, 46, 10};
constexpr std::array<std::uint32_t, kCampaigns.size()> kCampaignWeights{20, 20, 19, 3, 19, 19};

const NameSetTables& name_set_of(const Event& e) noexcept { return kNameSets[kCountries[e.country].name_set]; }

}  // namespace

std::span<const Country> countries() noexcept { return kCountries; }

void draw_profile(Rng& rng, Event& e) {
  static const auto country_weights = [] {
    std::array<std::uint32_t, kCountries.size()> w{};
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = kCountries[i].weight;
    return w;
  }();
  e.country = static_cast<std::uint8_t>(rng.pick(country_weights));
  e.device = static_cast<std::uint8_t>(rng.pick(kDeviceWeights));
  e.campaign = static_cast<std::uint8_t>(rng.pick(kCampaignWeights));
  const NameSetTables& set = name_set_of(e);
  e.first = static_cast<std::uint8_t>(rng.index(set.first.size()));
  e.last = static_cast<std::uint8_t>(rng.index(set.last.size()));
  e.last2 = static_cast<std::uint8_t>(rng.index(set.last.size()));
  const auto style_roll = rng.below(100);
  e.name_style = style_roll < set.double_surname_percent                        ? 1
                 : style_roll < set.double_surname_percent + set.hyphen_percent ? 2
                                                                                : 0;
  if (e.last2 == e.last) e.name_style = 0;
  e.title = rng.chance(0.02) ? static_cast<std::uint8_t>(1 + rng.index(set.titles.size())) : 0;
  // SPEC §1.1: name is optional and nullable; a few players have none.
  const auto kind_roll = rng.below(1000);
  e.name_kind = kind_roll < 4 ? NameKind::null : kind_roll < 8 ? NameKind::missing : NameKind::present;
  // Like the 2023 file (Python's json.dumps), most names spell non-ASCII letters as \uXXXX.
  if (rng.chance(0.8)) e.flags |= kFlagEscapeUnicode;
}

void append_name(const Event& e, std::string& out) {
  const NameSetTables& set = name_set_of(e);
  if (e.title != 0) out += set.titles[(e.title - 1u) % set.titles.size()];
  out += set.first[e.first % set.first.size()];
  out += ' ';
  out += set.last[e.last % set.last.size()];
  if (e.name_style != 0) {
    out += e.name_style == 1 ? ' ' : '-';
    out += set.last[e.last2 % set.last.size()];
  }
}

}  // namespace ge::evgen
