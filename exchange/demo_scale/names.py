"""Who and where: the names, towns, organisations and tools of the generated network."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("\n", " ").split(";") if part.strip())


FIRST_NAMES = _words(
    "Camille; Léa; Manon; Chloé; Emma; Inès; Jade; Louise; Alice; Lina; Zoé; Sarah; Anaïs; "
    "Juliette; Clara; Mathilde; Élodie; Gaëlle; Hélène; Nadia; Fatou; Yasmine; Amandine; Salomé; "
    "Justine; Maëlle; Marta; Sofia; Lan; Aïcha; Mariam; Rose; Agathe; Capucine; Margaux; Pauline; "
    "Laure; Sandrine; Nathalie; Isabelle; Véronique; Sylvie; Christine; Brigitte; Odile; Anne; "
    "Claire; Charlotte; Elsa; Jeanne; Lucie; Romane; Apolline; Maïwenn; Soizic; Nolwenn; Awa; "
    "Khadija; Leïla; Samira; Naïma; Djamila; Aurore; Céline; Estelle; Fanny; Gwendoline; Héloïse; "
    "Irène; Joséphine; Karine; Ludivine; Marion; Noémie; Océane; Perrine; Roxane; Solène; Tiphaine; "
    "Valentine; Violette; Ysé; Ambre; Bérénice; Cécile; Delphine; Éva; Flora; Gabrielle; Hanna; "
    "Thomas; Karim; Samuel; Malik; Baptiste; Olivier; Théo; Diego; Mamadou; Rachid; Antoine; "
    "Youssef; Jérémie; Ibrahim; Bertrand; Aurélien; Pierre-Yves; Kevin; Yann; Julien; Lucas; Hugo; "
    "Louis; Gabriel; Arthur; Jules; Adam; Nathan; Paul; Raphaël; Mathis; Tom; Noah; Ethan; Sacha; "
    "Maxime; Nicolas; Guillaume; Sébastien; Christophe; Stéphane; Laurent; Frédéric; Philippe; "
    "Patrick; Michel; Alain; Bernard; Didier; Gilles; Hervé; Jean-Marc; Loïc; Erwan; Gwenaël; "
    "Ronan; Tristan; Mehdi; Sofiane; Bilal; Amadou; Moussa; Ousmane; Idriss; Nabil; Walid; Farid; "
    "Benoît; Cédric; Damien; Émile; Fabien; Grégoire; Henri; Igor; Jonas; Kylian; Léon; Marius; "
    "Noël; Octave; Pablo; Quentin; Rémi; Simon; Timothée; Ulysse; Victor; William; Xavier; Yanis; "
    "Zacharie; Achille; Basile; Clément; Dorian; Étienne; Félix; Gaspard; Honoré; Joachim"
)

LAST_NAMES = _words(
    "Martin; Bernard; Dubois; Thomas; Robert; Richard; Petit; Durand; Leroy; Moreau; Simon; "
    "Laurent; Lefebvre; Michel; Garcia; David; Bertrand; Roux; Vincent; Fournier; Morel; Girard; "
    "André; Lefèvre; Mercier; Dupont; Lambert; Bonnet; François; Martinez; Legrand; Garnier; "
    "Faure; Rousseau; Blanc; Guérin; Muller; Henry; Roussel; Nicolas; Perrin; Morin; Mathieu; "
    "Clément; Gauthier; Dumont; Lopez; Fontaine; Chevalier; Robin; Masson; Sanchez; Gérard; "
    "Nguyen; Boyer; Denis; Lemaire; Duval; Joly; Gautier; Roger; Roche; Roy; Noël; Meyer; Lucas; "
    "Meunier; Jean; Pérez; Marchand; Dufour; Blanchard; Marie; Barbier; Brun; Dumas; Brunet; "
    "Schmitt; Leroux; Colin; Fernandez; Pierre; Renard; Arnaud; Rolland; Caron; Aubert; Giraud; "
    "Leclerc; Vidal; Bourgeois; Renaud; Lemoine; Picard; Gaillard; Philippe; Leclercq; Lacroix; "
    "Fabre; Dupuis; Olivier; Rodriguez; Da Silva; Hubert; Louis; Charles; Guillot; Rivière; "
    "Le Gall; Guillaume; Adam; Rey; Moulin; Gonzalez; Berger; Lecomte; Menard; Fleury; Deschamps; "
    "Carpentier; Julien; Benoît; Paris; Maillard; Marchal; Aubry; Vasseur; Le Roux; Renault; "
    "Jacquet; Collet; Prévost; Poirier; Charpentier; Royer; Huet; Baron; Dupuy; Pons; Paul; "
    "Laine; Carré; Breton; Rémy; Schneider; Perrot; Guyot; Barre; Marty; Cousin; Benali; Haddad; "
    "Traoré; Ndiaye; Sow; Bouzid; Kowalska; El Amrani; Lévy; Cherif; Keïta; Costa; Chauvin; "
    "Kerjean; Bertin; Le Bihan; Tran; Diallo; Camara; Cissé; Diop; Touré; Mansouri; Belkacem; "
    "Ferreira; Pereira; Santos; Oliveira; Rossi; Russo; Ricci; Kaya; Yilmaz; Nowak; Wagner; "
    "Le Goff; Le Floch; Tanguy; Kervella; Quéré; Jaouen; Pichon; Lebreton; Mallet; Hamon; Besson"
)

# Towns members live in: around the six spaces, and elsewhere in France.
CITIES = _words(
    "Lyon; Villeurbanne; Vénissieux; Vaulx-en-Velin; Caluire-et-Cuire; Bron; Oullins; "
    "Saint-Fons; Écully; Tassin-la-Demi-Lune; Nantes; Rezé; Saint-Herblain; Orvault; Bouguenais; "
    "Carquefou; Vertou; Sainte-Luce-sur-Loire; La Chapelle-sur-Erdre; Lille; Roubaix; Tourcoing; "
    "Villeneuve-d'Ascq; Lambersart; Marcq-en-Barœul; Wattrelos; Loos; Hellemmes; Marseille; "
    "Aubagne; La Ciotat; Aix-en-Provence; Vitrolles; Martigues; Allauch; Cassis; Gardanne; "
    "Dieulefit; Crest; Die; Nyons; Montélimar; Valence; Romans-sur-Isère; Bourdeaux; Saoû; "
    "Poët-Laval; Rennes; Cesson-Sévigné; Saint-Grégoire; Bruz; Pacé; Chantepie; Betton; "
    "Thorigné-Fouillard; Vern-sur-Seiche; Le Rheu; Grenoble; Chambéry; Annecy; Clermont-Ferrand; "
    "Saint-Étienne; Dijon; Besançon; Strasbourg; Mulhouse; Metz; Nancy; Reims; Amiens; Rouen; "
    "Le Havre; Caen; Cherbourg; Brest; Quimper; Lorient; Vannes; Saint-Brieuc; Angers; Le Mans; "
    "Tours; Orléans; Blois; Poitiers; La Rochelle; Niort; Angoulême; Limoges; Bordeaux; Pessac; "
    "Mérignac; Bègles; Bayonne; Pau; Toulouse; Montauban; Albi; Castres; Montpellier; Sète; "
    "Nîmes; Avignon; Arles; Toulon; Hyères; Nice; Cannes; Antibes; Perpignan; Narbonne; "
    "Carcassonne; Béziers; Ajaccio; Bastia; Paris; Montreuil; Saint-Denis; Pantin; Ivry-sur-Seine; "
    "Vincennes; Nanterre; Versailles; Créteil; Argenteuil; Bobigny; Aubervilliers; Bagnolet; "
    "Douarnenez; Morlaix; Lannion; Guingamp; Redon; Fougères; Vitré; Saint-Malo; Dinan; Lamballe; "
    "Ploërmel; Pontivy; Auray; Concarneau; Landerneau; Carhaix-Plouguer; Cholet; Saumur; "
    "Clisson; Ancenis; Châteaubriant; Pornic; Saint-Nazaire; Guérande; Arras; Lens; Douai; "
    "Valenciennes; Dunkerque; Calais; Boulogne-sur-Mer; Béthune; Armentières; Cambrai; Maubeuge; "
    "Salon-de-Provence; Istres; Manosque; Forcalquier; Digne-les-Bains; Gap; Briançon; Apt; "
    "Cavaillon; Carpentras; Orange; Vaison-la-Romaine; Privas; Aubenas; Annonay; Vienne; "
    "Bourgoin-Jallieu; Villefranche-sur-Saône; Mâcon; Bourg-en-Bresse; Roanne; Vichy; Moulins"
)

ORGANISATIONS = _words(
    "l'association du quartier; la coopérative; le collectif d'artistes; la compagnie de théâtre; "
    "le Repair Café; l'atelier vélo; la radio associative; la cantine solidaire; l'AMAP; "
    "la ressourcerie; le fablab; la maison de quartier; le club de foot; la chorale; "
    "l'école de musique; le centre social; l'épicerie solidaire; la recyclerie; le festival; "
    "la SCIC; la mutuelle; la bibliothèque de rue; le jardin partagé; la crèche parentale; "
    "le café associatif; la fanfare; la troupe d'impro; le cinéma de quartier; l'accorderie"
)

TOOLS = _words(
    "LibreOffice; Excel; WordPress; Nextcloud; Framadate; Framapad; Inkscape; GIMP; Krita; "
    "Scribus; Canva; Figma; Python; JavaScript; Debian; Ubuntu; Thunderbird; Firefox; Audacity; "
    "Kdenlive; DaVinci Resolve; Blender; OpenShot; Dolibarr; Odoo; HelloAsso; Mattermost; "
    "Signal; Matrix; Jitsi; BigBlueButton; Trello; Wekan; Zotero; Markdown; Git; Django; Flask; "
    "PostgreSQL; Arduino; Raspberry Pi; FreeCAD; Cura; PrusaSlicer; OpenStreetMap; uMap; QGIS"
)

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOMENTS = (
    "matin",
    "après-midi",
    "midi",
    "soir",
    "en fin de journée",
    "vers 14 h",
    "à l'heure du déjeuner",
    "après le Care'n Share",
)
PLACES = (
    "au coworking",
    "à l'atelier",
    "dans la grande salle",
    "en visio",
    "autour d'un café",
    "dans la cour",
    "à la cantine",
    "au fablab",
    "chez moi",
    "dans la salle de réunion",
    "au jardin",
    "à la bibliothèque",
)
AUDIENCES = (
    "des associations",
    "des indépendant·es",
    "des petites coopératives",
    "des artisans",
    "des compagnies de théâtre",
    "des collectivités",
    "des familles du quartier",
    "des étudiant·es",
    "des producteurs locaux",
    "des structures de l'économie sociale et solidaire",
    "des tiers-lieux",
    "des festivals",
)
LANGUAGES = ("anglais", "espagnol", "italien", "allemand", "arabe", "portugais", "breton", "wolof")
