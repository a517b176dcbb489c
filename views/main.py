def main() -> None:
    print("crewkit")
