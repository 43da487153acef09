"""Demo and benchmark data: not domain code. It imports every app and no app imports it, so generators,
demo accounts and the load_demo / generate_data commands can grow without the domain apps pointing upward."""
