"""Where the ggtext components write: span-group keys and ``doc.user_data`` keys.

Every reader and writer of ggtext annotations takes its keys from here, so a
Doc has one layout whichever component or getter touches it.
"""

#: The ``._.ggtext`` extension on Doc, Span and Token.
NAMESPACE = "ggtext"
#: ``doc.spans`` keys: paragraphs, actor mentions (label = actor id), cues (label = cue type).
PARAGRAPHS_KEY = "ggtext_paragraphs"
ACTORS_KEY = "ggtext_actors"
CUES_KEY = "ggtext_cues"
#: ``doc.spans`` key of the document's title (when the reader found one): part of the text, not a paragraph.
TITLE_KEY = "ggtext_title"
#: ``doc.user_data[RESULTS_KEY]`` holds plain-data results (stance, scores).
RESULTS_KEY = "ggtext"
#: ``doc.user_data[KB_KEY]``: the fingerprint of a custom knowledge base the actor component used.
KB_KEY = "ggtext_actors_kb"
#: ``doc.user_data[TEXT_KEY]`` keeps ``doc.text``, which spaCy rebuilds from every token on each access.
TEXT_KEY = "ggtext_text"
#: ``doc.user_data[READING_KEY]``: what the reader found (title, author, counts) when it read the Doc's text.
READING_KEY = "ggtext_reading"
