def main() -> None:
    print("crewkit-server")
